using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CclAgent.Reporting.Runs;

/// <summary>
/// Reads a run directory (or every run under a bench output directory's runs/) into <see cref="LoadedRun"/>s.
/// Only summary.json is required; a missing plan, tuner conf or llm/ folder just leaves its section out.
/// </summary>
internal static class RunReader
{
    /// <summary>The run directories <paramref name="path"/> stands for: itself, or a bench output's runs/&lt;strategy&gt;/&lt;run&gt;.</summary>
    public static IReadOnlyList<string> Expand(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new ReportInputException($"{path}: not a directory (expected a run directory with postrun/summary.json, or a bench --out directory)");
        }

        string runs = Path.Combine(path, "runs");
        if (!File.Exists(Path.Combine(path, "postrun", "summary.json")) && File.Exists(Path.Combine(path, "results.json")) && Directory.Exists(runs))
        {
            List<string> found = [.. Directory.EnumerateDirectories(runs).SelectMany(Directory.EnumerateDirectories)
                .Where(d => File.Exists(Path.Combine(d, "postrun", "summary.json"))).Order(StringComparer.Ordinal)];
            return found.Count > 0 ? found : throw new ReportInputException($"{runs}: no run directory with postrun/summary.json under it");
        }

        return [path];
    }

    public static LoadedRun Read(string directory)
    {
        string summaryFile = Path.Combine(directory, "postrun", "summary.json");
        if (!File.Exists(summaryFile))
        {
            throw new ReportInputException($"{summaryFile}: missing (expected a finished ccl-agent run directory; a run whose baseline failed has no post-run phase)");
        }

        RunSummary summary = ReadJson(summaryFile, ReportJsonContext.Default.RunSummary);
        string stepsDir = Path.Combine(directory, "steps");
        List<StepFile> steps = Directory.Exists(stepsDir)
            ? [.. Directory.EnumerateFiles(stepsDir, "step_*.json")
                .Where(f => !f.EndsWith("_command.json", StringComparison.Ordinal))
                .Select(f => ReadJson(f, ReportJsonContext.Default.StepFile))
                .OrderBy(s => s.Kind == "confirm" ? 1 : 0).ThenBy(s => s.Step)]
            : [];
        string planFile = Path.Combine(directory, "offline", "plan.json");
        PlanFile? plan = File.Exists(planFile) ? ReadJson(planFile, ReportJsonContext.Default.PlanFile) : null;
        string conf = Path.Combine(directory, "postrun", "nccl_tuner.conf");
        IReadOnlyList<TunerConfRow> rows = File.Exists(conf) ? TunerConfRow.Parse(File.ReadAllText(conf)) : [];
        string llm = Path.Combine(directory, "llm");
        List<LlmCallFile> calls = Directory.Exists(llm)
            ? [.. Directory.EnumerateFiles(llm, "call_*.json").Order(StringComparer.Ordinal).Select(f => ReadJson(f, ReportJsonContext.Default.LlmCallFile))]
            : [];
        return new LoadedRun(directory, summary, steps, plan, rows, calls);
    }

    private static T ReadJson<T>(string file, JsonTypeInfo<T> type)
    {
        try
        {
            using FileStream stream = File.OpenRead(file);
            return JsonSerializer.Deserialize(stream, type) ?? throw new ReportInputException($"{file}: $: expected a JSON object, got null");
        }
        catch (JsonException ex)
        {
            throw new ReportInputException($"{file}: {ex.Path ?? "$"}: invalid JSON ({FirstSentence(ex.Message)})");
        }
        catch (IOException ex)
        {
            throw new ReportInputException($"{file}: cannot be read ({ex.Message})");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ReportInputException($"{file}: cannot be read ({ex.Message})");
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).ReplaceLineEndings(" ");
    }
}
