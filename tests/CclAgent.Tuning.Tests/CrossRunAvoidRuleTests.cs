using System.Text.Json;
using CclAgent.Core.Context;
using CclAgent.Core.Steps;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Search;
using Microsoft.Extensions.Time.Testing;
using CclAgent.Testing;

namespace CclAgent.Tuning.Tests;

/// <summary>
/// A hazardous configuration found by exploration in one run is remembered as an avoid-rule and never
/// applied in a later run on the same context; a transient fault teaches nothing.
/// </summary>
public sealed class CrossRunAvoidRuleTests : IDisposable
{
    private const string L40s = "l40s-1x8-pcie-ddp";
    private const string OomMessage = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 3 has a total capacity of 44.52 GiB of which 1.21 GiB is free.";
    private const string TransientMessage = "NET/IB : Got completion from peer 10.0.0.12<48211> with status=12 opcode=0 len=0 vendor err 129 (Recv) localGid ::ffff:10.0.0.11; transient link flap, retried";

    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = TuningHarness.NewTime();

    public void Dispose() => _temp.Dispose();

    private static bool SamePatch(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out string? v) && string.Equals(v, kv.Value, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task A_hazardous_config_found_in_run_1_is_remembered_as_an_avoid_rule_and_not_applied_in_run_2()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        string file = TuningHarness.WorkloadPath(L40s);
        ContextFeatures features = ContextSignatureBuilder.From(spec);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        // ---- Run 1: exploration hits a configuration that exhausts GPU memory. ----
        FailingPatchRunner? failing = null;
        HarnessRun first = await TuningHarness.RunAsync(spec, file, _temp.Path, memory, _time, "run-1", budget: 8,
            wrapRunner: inner => failing = new FailingPatchRunner(inner, "cuda_oom", OomMessage));

        Assert.True(first.Outcome.Succeeded, first.Outcome.JobFailure);
        IReadOnlyDictionary<string, string> patch = failing!.Patch ?? throw new InvalidOperationException("run 1 proposed no trial");
        Assert.NotEmpty(patch);
        IReadOnlyList<StepRecord> steps1 = await TuningEngineTests.ReadStepsAsync(first);
        StepRecord failed = steps1.Where(s => s.Kind == StepKind.Trial && s.Status == StepStatus.Failed).OrderBy(s => s.Step).First();
        Assert.True(SamePatch(patch, failed.ConfigDelta), $"step {failed.Step} delta {string.Join(";", failed.ConfigDelta)} vs {string.Join(";", patch)}");
        Assert.Equal("cuda_oom", failed.FailureClass?.Name);
        Assert.NotNull(failed.Diagnosis);
        Assert.Equal("cuda_oom", failed.Diagnosis!.Category);
        Assert.Equal(StepDecision.Rollback, failed.Decision!.Decision);
        Assert.Contains("avoid-rule", failed.Decision.Reason, StringComparison.Ordinal);

        ScoredAvoidRule remembered = Assert.Single(memory.AvoidRules(features), a => SamePatch(a.Rule.Patch, patch));
        Assert.Equal("cuda_oom", remembered.Rule.FailureClass);
        string ruleId = remembered.Rule.Id;

        // ---- Run 2: same memory, same context, a runner on which nothing fails. ----
        HarnessRun second = await TuningHarness.RunAsync(spec, file, _temp.Path, memory, _time, "run-2", budget: 8);

        Assert.True(second.Outcome.Succeeded, second.Outcome.JobFailure);
        IReadOnlyList<StepRecord> steps2 = await TuningEngineTests.ReadStepsAsync(second);
        Assert.Contains(steps2, s => s.Kind == StepKind.Trial);
        Assert.All(steps2, s => Assert.False(NcclConfig.FromAssignments(s.Config).Matches(patch),
            $"step {s.Step} ({s.Kind}, {s.Source}) applied {string.Join(";", s.Config)}, which the avoid-rule {ruleId} forbids"));

        OfflinePlan plan = (await TuningEngineTests.ReadJsonAsync(Path.Combine(second.Run.Offline, "plan.json"), TuningJsonContext.Default.OfflinePlan))!;
        RetrievedRule listed = Assert.Single(plan.AvoidRules, r => r.Id == ruleId);
        Assert.True(SamePatch(listed.Patch, patch));
        Assert.Contains("cuda_oom", listed.Description, StringComparison.Ordinal);
        Assert.True(plan.WarmStart is null || !NcclConfig.FromAssignments(plan.WarmStart.Config).Matches(patch), "the warm start is not the remembered failure");

        // Run 2's search does generate candidates the rule covers (the failed one was the surrogate's favourite);
        // every one of them was dropped at the risk stage, citing the rule.
        List<CandidateTraceEntry> covered = steps2.SelectMany(s => s.CandidateTrace)
            .Where(t => NcclConfig.FromAssignments(t.Config).Matches(patch)).ToList();
        Assert.True(covered.Count > 0, "run 2's search never generated a candidate the avoid-rule covers, so the rule was not exercised");
        Assert.All(covered, t =>
        {
            Assert.False(t.Selected);
            Assert.Equal("risk", t.DroppedAt);
            Assert.Contains($"avoid-rule {ruleId}", t.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_plan_json_of_a_later_run_lists_the_avoid_rule_as_written_to_disk()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        string file = TuningHarness.WorkloadPath(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);
        FailingPatchRunner? failing = null;
        await TuningHarness.RunAsync(spec, file, _temp.Path, memory, _time, "run-a", budget: 4,
            wrapRunner: inner => failing = new FailingPatchRunner(inner, "cuda_oom", OomMessage));

        HarnessRun second = await TuningHarness.RunAsync(spec, file, _temp.Path, memory, _time, "run-b", budget: 4);

        using JsonDocument plan = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(second.Run.Offline, "plan.json")));
        JsonElement avoid = plan.RootElement.GetProperty("avoid_rules");
        Assert.Equal(1, avoid.GetArrayLength());
        var patch = avoid[0].GetProperty("patch").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        Assert.True(SamePatch(patch, failing!.Patch!));
    }

    [Fact]
    public async Task A_transient_network_failure_is_rolled_back_but_learns_no_avoid_rule()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        string file = TuningHarness.WorkloadPath(L40s);
        ContextFeatures features = ContextSignatureBuilder.From(spec);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        FailingPatchRunner? failing = null;
        HarnessRun run = await TuningHarness.RunAsync(spec, file, _temp.Path, memory, _time, "run-transient", budget: 6,
            wrapRunner: inner => failing = new FailingPatchRunner(inner, "transient_network", TransientMessage, failMatchingLater: false));

        Assert.True(run.Outcome.Succeeded, run.Outcome.JobFailure);
        Assert.Single(failing!.Failed);
        IReadOnlyList<StepRecord> steps = await TuningEngineTests.ReadStepsAsync(run);
        StepRecord failed = Assert.Single(steps, s => s.Status == StepStatus.Failed);
        Assert.Equal("transient_network", failed.FailureClass?.Name);
        Assert.Equal(StepDecision.Rollback, failed.Decision!.Decision);
        Assert.Contains("no avoid-rule", failed.Decision.Reason, StringComparison.Ordinal);
        Assert.True(run.Outcome.Summary!.Trials >= 2, "the loop goes on after the rollback");

        Assert.Equal(0, memory.Stats().AvoidRules);
        Assert.Empty(memory.AvoidRules(features));
    }
}
