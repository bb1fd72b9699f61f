using System.Diagnostics;
using System.Globalization;
using CclAgent.Core.Failures;
using CclAgent.Core.Runs;
using CclAgent.Core.Steps;
using CclAgent.Core.Tracing;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Parameters;
using CclAgent.Runtime;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;
using CclAgent.Tuning;
using CclAgent.Tuning.Records;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// ccl-agent itself: the real <see cref="TuningEngine"/> put together by the same <see cref="TuningRun"/> builder as
/// the CLI, a run directory per run, and B − 1 online trials after the baseline so it pays exactly B job runs. The
/// post-run confirmation re-run is not counted as a trial (it searches nothing), but its cluster time is charged like
/// every job run, and so is every offline microbenchmark run, before the first trial. With <paramref name="inJob"/> it is
/// <c>tune --in-job</c>: one job launch, candidates measured as windows in it (their iterations only), restarts for
/// init-time knobs charged a job start each.
/// </summary>
public sealed class CclAgentStrategy(string name, Func<StrategyInput, JointOracleResult> oracle, bool inJob = false) : IBenchStrategy
{
    public string Name => name;

    public async Task<StrategyRun> RunAsync(StrategyInput input, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var workload = input.Scenario.Workload;
        string runId = string.Create(CultureInfo.InvariantCulture, $"{input.Scenario.Name}-seed{input.Seed}");
        RunDirectory run = RunDirectory.Create(Path.Combine(input.WorkDirectory, "runs", Name), runId);
        MemoryStore memory = input.Memory ?? MemoryStore.Open(Path.Combine(input.WorkDirectory, "memory", Name, runId + ".db"), input.Time);
        try
        {
            using var trace = new TraceWriter(run.TraceFile, run.RunId, input.Time);
            var request = new TuningRunRequest
            {
                Workload = workload,
                WorkloadFile = input.Scenario.File,
                Options = new TuningOptions { Budget = Math.Max(1, input.Budget - 1), Seed = input.Seed, Iterations = workload.Tuning?.Iterations ?? 20, InJob = inJob },
                Run = run,
                Trace = trace,
                Memory = memory,
                Time = input.Time,
                Oracle = oracle(input),
            };
            (TuningContext? context, string? problem) = TuningRun.For(request);
            TuningOutcome outcome = await new TuningEngine(context ?? throw new InvalidOperationException(problem)).RunAsync(cancellationToken);
            int microbench = outcome.Summary?.MicrobenchmarkRuns ?? 0;
            double microbenchSeconds = outcome.Summary?.MicrobenchmarkClusterSeconds ?? 0;
            return new StrategyRun(Points(outcome.Steps, TuningRun.Cluster(request)), microbench, Stopwatch.GetElapsedTime(start).TotalMilliseconds)
            {
                SetupClusterSeconds = microbenchSeconds,
                MicrobenchmarkClusterSeconds = microbenchSeconds,
                TrailingClusterSeconds = outcome.Steps.Where(s => s.Kind == StepKind.Confirm).Sum(s => s.ClusterSeconds),
                Gpus = TuningCostModel.For(workload).Gpus,
                DeliveredTrueMs = outcome.Summary is { } summary ? TuningRun.Cluster(request).Estimate(NcclConfig.FromAssignments(summary.BestConfig)).IterationMs : null,
            };
        }
        finally
        {
            if (input.Memory is null)
            {
                memory.Dispose();
            }
        }
    }

    /// <summary>Turns the engine's step records into trial points; the incumbent follows the engine's own accept decisions.</summary>
    private static List<TrialPoint> Points(IReadOnlyList<StepRecord> steps, SimulatedCluster truth)
    {
        var points = new List<TrialPoint>();
        NcclConfig incumbent = NcclConfig.Default;
        bool haveIncumbent = false;
        foreach (StepRecord step in steps.Where(s => s.Kind != StepKind.Confirm))
        {
            NcclConfig config = NcclConfig.FromAssignments(step.Config);
            bool ok = step.Status == StepStatus.Ok;
            if (ok && (!haveIncumbent || step.Decision?.Decision == StepDecision.Accept))
            {
                incumbent = config;
                haveIncumbent = true;
            }

            double trueMs = truth.Estimate(config).IterationMs;
            points.Add(new TrialPoint(points.Count + 1, config.Key, step.Metrics.IterationMsMedian, trueMs,
                !ok && step.FailureClass?.Kind != FailureKind.SlaBreach, step.Risk ?? 0, incumbent.Key, truth.Estimate(incumbent).IterationMs) { ClusterSeconds = step.ClusterSeconds });
        }

        return points;
    }
}
