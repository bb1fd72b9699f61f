using System.Globalization;
using System.Text;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Modeling;
using CclAgent.Testing;

namespace CclAgent.Incident.Tests.IncidentEval;

/// <summary>One scenario's score: category (top-1), facts found in the explanation, validation verdict, rounds, tool calls.</summary>
internal sealed record ScenarioScore(string Name, string Category, string ExpectedCategory, int FactsCovered, int Facts, IReadOnlyList<string> MissedFacts,
    string Validation, string ExpectedValidation, int Rounds, int ToolCalls, int RepeatedCalls, string RootCause)
{
    public bool CategoryRight => Category == ExpectedCategory;

    public bool ValidationRight => Validation == ExpectedValidation;
}

/// <summary>
/// Runs one half of the scenarios through the deterministic planner and scores it. The explanation a fact must appear
/// in is the root cause, the evidence lines and each fix action's target and rationale: what a person reads.
/// </summary>
internal static class EvalScore
{
    public static async Task<IReadOnlyList<ScenarioScore>> RunAsync(string half)
    {
        var scores = new List<ScenarioScore>();
        foreach (string dir in Scenarios.All(half))
        {
            using var temp = new TempDirectory("ccl-incident-eval-");
            IncidentOutcome outcome = await IncidentAgent.RunRecordedAsync(dir, new IncidentRunOptions { OutDirectory = temp.Path }, TimeProvider.System, CancellationToken.None);
            var expected = Scenarios.Expected(dir);
            AgentResult r = outcome.Result;
            string explanation = string.Join("\n", [r.Diagnosis.RootCause, .. r.Diagnosis.Evidence.Select(e => e.Text), .. r.FixPlan.Actions.Select(a => a.Target + " " + a.Rationale)]);
            var wanted = expected["facts"]!.AsArray().Select(f => f!.ToString()).ToList();
            var missed = wanted.Where(f => !explanation.Contains(f, StringComparison.OrdinalIgnoreCase)).ToList();
            scores.Add(new ScenarioScore(Path.GetFileName(dir), r.Diagnosis.Category, expected["category"]!.ToString(), wanted.Count - missed.Count, wanted.Count, missed,
                Status(r.Validation.Status), expected["validation"]!.ToString(), r.Rounds, r.AgentTrace.Count, outcome.RepeatedCalls, r.Diagnosis.RootCause));
        }

        return scores;
    }

    public static double Median(IEnumerable<int> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2.0;
    }

    public static string Summary(IReadOnlyList<ScenarioScore> scores) => string.Create(CultureInfo.InvariantCulture,
        $"top-1 {scores.Count(s => s.CategoryRight)}/{scores.Count}, facts {scores.Sum(s => s.FactsCovered)}/{scores.Sum(s => s.Facts)}, validation {scores.Count(s => s.ValidationRight)}/{scores.Count}, median rounds {Median(scores.Select(s => s.Rounds))}, median tool calls {Median(scores.Select(s => s.ToolCalls))}, repeated calls {scores.Sum(s => s.RepeatedCalls)}");

    /// <summary>The text the judge approval file pins: one line per scenario (what was got, what was missed), then the summary.</summary>
    public static string Table(IReadOnlyList<ScenarioScore> scores)
    {
        var text = new StringBuilder();
        foreach (ScenarioScore s in scores)
        {
            string mark = s.CategoryRight ? "ok  " : "MISS";
            string missed = s.MissedFacts.Count == 0 ? string.Empty : " missed [" + string.Join(", ", s.MissedFacts) + "]";
            text.Append(CultureInfo.InvariantCulture, $"{mark} {s.Name}: {s.Category} (expected {s.ExpectedCategory}), facts {s.FactsCovered}/{s.Facts}{missed}, validation {s.Validation} (expected {s.ExpectedValidation}), rounds {s.Rounds}, tool calls {s.ToolCalls}\n");
        }

        text.Append(Summary(scores)).Append('\n');
        return text.ToString();
    }

    private static string Status(ValidationStatus status) => status switch
    {
        ValidationStatus.Improved => "improved",
        ValidationStatus.NotImproved => "not_improved",
        _ => "unknown",
    };
}
