using CclAgent.Core.Runs;
using CclAgent.Core.Validation;
using CclAgent.Core.Tracing;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Runtime;
using CclAgent.Runtime.Simulated;
using CclAgent.Tuning.Jobs;
using Microsoft.Extensions.Time.Testing;
using CclAgent.Testing;

namespace CclAgent.Tuning.Tests;

/// <summary>Puts a run together with the same <see cref="TuningRun"/> builder as the CLI and bench, on a temp directory.</summary>
internal static class TuningHarness
{
    public static string WorkloadPath(string name) => Path.Combine(RepoPaths.Root, "workload", "sim", name + ".json");

    public static async Task<WorkloadSpec> LoadAsync(string path)
    {
        LoadResult<WorkloadSpec> loaded = await WorkloadLoader.LoadAsync(path, CancellationToken.None);
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Problems));
        return loaded.Value!;
    }

    public static Task<WorkloadSpec> LoadShippedAsync(string name) => LoadAsync(WorkloadPath(name));

    public static FakeTimeProvider NewTime() => new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Runs the engine once; the run directory, trace and context are returned for inspection.</summary>
    public static async Task<HarnessRun> RunAsync(
        WorkloadSpec spec,
        string workloadFile,
        string tempRoot,
        MemoryStore memory,
        TimeProvider time,
        string runId,
        int budget = 8,
        int seed = 1,
        Func<IJobRunner, IJobRunner>? wrapRunner = null,
        WorkloadSpec? benchmarkSpec = null,
        CancellationToken cancellationToken = default)
    {
        var options = new TuningOptions
        {
            Budget = budget,
            Seed = seed,
            Iterations = 20,
            WarmupIterations = 3,
            PlateauSteps = budget,
            Mode = "dry-run",
            Provider = "none",
        };
        RunDirectory run = RunDirectory.Create(Path.Combine(tempRoot, "artifacts"), runId);
        TuningOutcome outcome;
        using (var trace = new TraceWriter(run.TraceFile, run.RunId, time))
        {
            var request = new TuningRunRequest { Workload = spec, WorkloadFile = workloadFile, Options = options, Run = run, Trace = trace, Memory = memory, Time = time };
            (TuningContext? built, string? problem) = TuningRun.For(request);
            TuningContext context = built ?? throw new InvalidOperationException(problem);
            context = context with
            {
                Runner = wrapRunner is null ? context.Runner : wrapRunner(context.Runner),
                Benchmark = benchmarkSpec is null ? context.Benchmark : new SimulatedCollectiveBenchmark(TuningRun.Cluster(benchmarkSpec, request, TuningRun.BenchmarkSeedOffset)),
            };
            outcome = await new TuningEngine(context).RunAsync(cancellationToken);
        }

        return new HarnessRun(run, outcome);
    }
}

internal sealed record HarnessRun(RunDirectory Run, TuningOutcome Outcome);
