using System.Globalization;
using System.Text.Json.Nodes;
using CclAgent.Core.Failures;
using CclAgent.Core.Steps;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Records;
using Microsoft.Extensions.Time.Testing;
using CclAgent.Testing;

namespace CclAgent.Tuning.Tests;

public sealed class HazardHandlingTests : IDisposable
{
    private const string L40s = "l40s-1x8-pcie-ddp";
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = TuningHarness.NewTime();

    public void Dispose() => _temp.Dispose();

    /// <summary>Copies a shipped spec into the temp dir with gpu_memory_headroom_gib replaced.</summary>
    internal static async Task<string> WithHeadroomAsync(string tempRoot, string workload, double headroomGib)
    {
        JsonNode root = JsonNode.Parse(await File.ReadAllTextAsync(TuningHarness.WorkloadPath(workload)))!;
        root["iteration"]!["gpu_memory_headroom_gib"] = headroomGib;
        string path = Path.Combine(tempRoot, $"{workload}-headroom-{headroomGib.ToString("0.#####", CultureInfo.InvariantCulture)}.json");
        await File.WriteAllTextAsync(path, root.ToJsonString());
        return path;
    }

    internal static async Task<double> DefaultBufferGibAsync(string workload)
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(workload);
        return new SimulatedCluster(spec, new SimulationOptions()).Hazards.BufferBytes(NcclConfig.Default) / (1024.0 * 1024 * 1024);
    }

    [Fact]
    public async Task With_tiny_memory_headroom_the_run_completes_without_crossing_it()
    {
        double need = await DefaultBufferGibAsync(L40s);
        string path = await WithHeadroomAsync(_temp.Path, L40s, Math.Round(need * 1.1, 4));
        WorkloadSpec spec = await TuningHarness.LoadAsync(path);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, path, _temp.Path, memory, _time, "run-headroom", budget: 8);

        Assert.True(result.Outcome.Succeeded, result.Outcome.JobFailure);
        Assert.True(result.Outcome.Summary!.Speedup >= 1.0);
        Assert.True(result.Outcome.Summary.BlockedCandidates > 0, "over-headroom candidates are dropped before they run");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task An_OOM_trial_is_rolled_back_and_learned_as_an_avoid_rule_and_the_run_completes()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-oom", budget: 8,
            wrapRunner: inner => new OomRunner(inner, failAtStep: 1));

        Assert.True(result.Outcome.Succeeded, result.Outcome.JobFailure);
        IReadOnlyList<StepRecord> steps = await TuningEngineTests.ReadStepsAsync(result);
        StepRecord failed = steps.Single(s => s.Step == 1 && s.Kind == StepKind.Trial);
        Assert.Equal(StepStatus.Failed, failed.Status);
        Assert.Equal("cuda_oom", failed.FailureClass?.Name);
        Assert.Equal(StepDecision.Rollback, failed.Decision!.Decision);
        Assert.True(result.Outcome.Summary!.FailedTrials >= 1);
        Assert.True(result.Outcome.Summary.Trials >= 2, "the loop goes on after the rollback");

        Assert.True(memory.Stats().AvoidRules >= 1);
        var features = CclAgent.Tuning.Offline.ContextSignatureBuilder.From(spec);
        Assert.Contains(memory.AvoidRules(features), a => a.Rule.FailureClass == "cuda_oom");

        // The failed configuration is not tried again in this run.
        Assert.Single(steps, s => s.Kind == StepKind.Trial && s.Config.SequenceEqual(failed.Config));
    }

    /// <summary>Test double of the runner seam: the trial at the given step fails the way NCCL does when its buffers exhaust GPU memory.</summary>
    private sealed class OomRunner(IJobRunner inner, int failAtStep) : IJobRunner
    {
        public string Name => inner.Name;

        public string ToolName => inner.ToolName;

        public Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken) =>
            request.Step == failAtStep && request.Kind == StepKind.Trial
                ? Task.FromResult(new JobResult(JobStatus.Failed, [], FailureKind.CudaOom, "Cuda failure 'out of memory'"))
                : inner.RunAsync(request, cancellationToken);
    }
}
