using System.Text.Json;

namespace CclAgent.Diagnosis.Tests.RealFailures;

/// <summary>How <c>diagnose --json</c> did on one real failure: its top category, its top three, and the fix it ranks.</summary>
internal sealed record FailureScore(RealFailureCase Case, int ExitCode, string Top, IReadOnlyList<string> Ranked, IReadOnlyList<string> FixesMissing)
{
    public bool Top1 => Case.AcceptableCategories.Contains(Top, StringComparer.Ordinal);

    public bool Top3 => Ranked.Take(3).Any(c => Case.AcceptableCategories.Contains(c, StringComparer.Ordinal));

    public static FailureScore Of(RealFailureCase c, int exitCode, string stdout)
    {
        if (exitCode != 0)
        {
            return new FailureScore(c, exitCode, $"(exit {exitCode})", [], c.ExpectedFixMentions);
        }

        using JsonDocument document = JsonDocument.Parse(stdout);
        JsonElement root = document.RootElement;
        string top = root.GetProperty("diagnosis").GetProperty("category").GetString()!;
        var ranked = root.GetProperty("candidates").EnumerateArray().Select(e => e.GetProperty("category").GetString()!).Distinct().ToList();
        if (ranked.Count == 0 || ranked[0] != top)
        {
            ranked.Insert(0, top);
        }

        // The fixes a person applies are judged on the recommendations as printed (action, env, detail, command).
        string fixes = root.GetProperty("recommendations").GetRawText();
        var missing = c.ExpectedFixMentions.Where(m => !fixes.Contains(m, StringComparison.OrdinalIgnoreCase)).ToList();
        return new FailureScore(c, exitCode, top, ranked, missing);
    }
}
