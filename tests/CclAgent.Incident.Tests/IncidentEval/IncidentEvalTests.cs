using CclAgent.Incident.Agent;
using CclAgent.Incident.Modeling;
using CclAgent.Testing;
using Xunit.Abstractions;

namespace CclAgent.Incident.Tests.IncidentEval;

/// <summary>
/// The evaluation suite: both halves of the recorded scenarios through the deterministic planner, scored on category (top-1),
/// facts the explanation must contain, the right validation verdict, rounds and repeated calls.
/// </summary>
public sealed class IncidentEvalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Deterministic_path_gets_every_fit_scenario_right_within_six_rounds()
    {
        IReadOnlyList<ScenarioScore> scores = await EvalScore.RunAsync(Scenarios.Fit);
        scores.Count.Should().BeGreaterThanOrEqualTo(12);
        output.WriteLine("fit half");
        output.WriteLine(EvalScore.Table(scores));
        scores.Where(s => !s.CategoryRight || !s.ValidationRight).Select(s => $"{s.Name}: got {s.Category}/{s.Validation}: {s.RootCause}").Should().BeEmpty();
        EvalScore.Median(scores.Select(s => s.Rounds)).Should().BeLessThanOrEqualTo(6);
        scores.Sum(s => s.RepeatedCalls).Should().Be(0);
        scores.SelectMany(s => s.MissedFacts.Select(f => $"{s.Name}: {f}")).Should().BeEmpty();
    }

    /// <summary>
    /// The held-out half is scored, not required to pass: its results are pinned in an approval file so a change to the
    /// agent shows, scenario by scenario, what it won or lost there. Re-approve (CCL_AGENT_APPROVE=1) only after changing
    /// the agent against the fit half, never to chase a judge case.
    /// </summary>
    [Fact]
    public async Task Judge_half_scores_are_pinned_by_the_approval_file()
    {
        IReadOnlyList<ScenarioScore> scores = await EvalScore.RunAsync(Scenarios.Judge);
        scores.Count.Should().BeGreaterThanOrEqualTo(15);
        string table = EvalScore.Table(scores);
        output.WriteLine("judge half");
        output.WriteLine(table);
        scores.Sum(s => s.RepeatedCalls).Should().Be(0);
        scores.Should().OnlyContain(s => s.Rounds <= 10);
        Approvals.Verify("incident-judge", table, "CclAgent.Incident.Tests");
    }

    [Theory]
    [MemberData(nameof(Scenarios.BothHalves), MemberType = typeof(Scenarios))]
    public async Task Planted_canary_secrets_never_reach_result_trace_report_or_prompt_packs(string half, string name)
    {
        using var temp = new TempDirectory("ccl-incident-canary-");
        IncidentOutcome outcome = await IncidentAgent.RunRecordedAsync(Path.Combine(Scenarios.RootOf(half), name), new IncidentRunOptions { OutDirectory = temp.Path }, TimeProvider.System, CancellationToken.None);
        var texts = Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText).Append(outcome.Report).Append(IncidentAgent.ToJson(outcome.Result)).ToList();
        Directory.GetFiles(Path.Combine(temp.Path, "llm")).Should().NotBeEmpty();
        File.Exists(Path.Combine(temp.Path, "trace", "events.jsonl")).Should().BeTrue();
        foreach (string piece in Scenarios.CanaryPieces)
        {
            texts.Should().NotContain(t => t.Contains(piece, StringComparison.Ordinal), $"'{piece}' is a planted secret");
        }
    }

    [Fact]
    public async Task A_node_fault_is_fixed_by_a_node_action_and_never_validated_as_improved()
    {
        IncidentOutcome outcome = await IncidentAgent.RunRecordedAsync(Path.Combine(Scenarios.Root, "xid-79-fallen-off-bus"), new IncidentRunOptions(), TimeProvider.System, CancellationToken.None);
        outcome.Result.FixPlan.Actions.Should().OnlyContain(a => a.Kind == Planning.FixActionKind.Node);
        outcome.Result.Validation.Status.Should().NotBe(ValidationStatus.Improved);
    }
}
