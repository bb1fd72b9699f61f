using System.Text.RegularExpressions;

namespace CclAgent.Llm.Tests.Support;

/// <summary>
/// A stand-in model for end-to-end runs: it reads the prompt like a model would. Asked for a baseline,
/// it proposes the configuration the microbenchmark section predicts best; asked for hypotheses, it
/// proposes one hazardous value (which validation must refuse) and one legal change.
/// </summary>
internal static partial class ScriptedModel
{
    public static string Reply(string prompt)
    {
        if (prompt.Contains("Propose ONE NCCL configuration", StringComparison.Ordinal))
        {
            Match best = PredictedBest().Match(prompt);
            string settings = best.Success
                ? string.Join(",", best.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Split('=')).Select(a => $"{{\"name\":\"{a[0]}\",\"value\":\"{a[1]}\"}}"))
                : "{\"name\":\"NCCL_PROTO\",\"value\":\"Simple\"}";
            string citation = RagId().Match(prompt) is { Success: true } rag ? $"\"{rag.Value}\"" : string.Empty;
            return $"{{\"settings\":[{settings}],\"rationale\":\"The microbenchmark predicts this configuration is fastest; fewer channels leave SMs to the overlapped compute.\",\"citations\":[{citation}]}}";
        }

        return "{\"hypotheses\":[" +
               "{\"settings\":[{\"name\":\"NCCL_NTHREADS\",\"value\":\"480\"}],\"rationale\":\"more threads\",\"citations\":[]}," +
               "{\"settings\":[{\"name\":\"NCCL_BUFFSIZE\",\"value\":\"2097152\"}],\"rationale\":\"smaller chunks pipeline sooner\",\"citations\":[\"rag:threads-buffers:3\"]}]}";
    }

    [GeneratedRegex(@"predicted best configuration: (.+?) at ")]
    private static partial Regex PredictedBest();

    [GeneratedRegex(@"rag:[a-z0-9-]+:[0-9]+")]
    private static partial Regex RagId();
}
