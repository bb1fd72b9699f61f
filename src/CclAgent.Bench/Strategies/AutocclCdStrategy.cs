using System.Diagnostics;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// A faithful re-implementation of AutoCCL's search (NSDI'25; gbxu/autoccl, TUNER_MODE 5
/// "descent-combined"): native warm-up, implementation subspaces (algorithm × protocol × transport/P2P level),
/// random pretraining, coordinate descent over channels, threads and chunk (buffer) inside each subspace with early
/// exits for slow subspaces and random restarts. Scores are AutoCCL's mean of the fastest 75% of samples.
/// <para>
/// <c>autoccl-cd</c> runs as AutoCCL does, inside the job: one job start, then each candidate is a few profiled
/// calls (<see cref="AutocclInJobEvaluation"/>) with no restart. <c>autoccl-cd-restart</c> is the same search with
/// one job restart per candidate and a full trial's iterations, as if it could only set environment variables.
/// </para>
/// </summary>
public sealed class AutocclCdStrategy(bool restartPerTrial = false) : IBenchStrategy
{
    public const string InJob = "autoccl-cd";
    public const string Restart = "autoccl-cd-restart";

    public string Name => restartPerTrial ? Restart : InJob;

    public Task<StrategyRun> RunAsync(StrategyInput input, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var ledger = new TrialLedger(input);
        if (!restartPerTrial)
        {
            return Task.FromResult(RunInJobPerTask(input, ledger, start, cancellationToken));
        }

        var evaluation = new AutocclInJobEvaluation(input.Scenario.Workload);
        var search = new AutocclSearch(ledger.Cluster.Space, ledger.Cluster.Cluster.Platform, ledger.Cluster.Ops.ToArray(), input.Budget, new Random(input.Seed * 9001));
        for (int trial = 0; trial < input.Budget; trial++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The per-collective seam: today one global candidate per evaluation; with the simulator's per-collective
            // tuner table, a round draws one candidate per communication task and AutocclInJobEvaluation prices it.
            NcclConfig config = search.Next();
            double? score = restartPerTrial
                ? ledger.Run(config, MeanOfTopPercent75)
                : ledger.RunInJob(config, AutocclInJobEvaluation.ProfileRepeat, evaluation.Iterations, MeanOfTopPercent75);
            search.Report(config, score);
        }

        double setup = restartPerTrial ? 0 : ledger.JobStartSeconds() + (evaluation.WarmupIterations * ledger.Cluster.Estimate(NcclConfig.Default).IterationMs / 1000);
        return Task.FromResult(ledger.Result(Stopwatch.GetElapsedTime(start).TotalMilliseconds, setup));
    }

    /// <summary>In the job, per communication task: every round each task's candidate runs for the calls it needs, no restart.</summary>
    private static StrategyRun RunInJobPerTask(StrategyInput input, TrialLedger ledger, long start, CancellationToken cancellationToken)
    {
        var search = new AutocclPerTaskSearch(ledger.Cluster, input.Scenario.Workload, input.Budget, input.Seed);
        var evaluation = new AutocclInJobEvaluation(input.Scenario.Workload);
        for (int round = 0; round < input.Budget; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NcclConfig config = search.Next();
            CollectiveSamples measured = ledger.MeasureTasks(config, AutocclInJobEvaluation.ProfileRepeat);
            search.Report(measured);
            ledger.RecordInJobRound(config, measured, search.IterationsPerRound, search.Deployed());
        }

        double setup = ledger.JobStartSeconds() + (evaluation.WarmupIterations * ledger.Cluster.Estimate(NcclConfig.Default).IterationMs / 1000);
        return ledger.Result(Stopwatch.GetElapsedTime(start).TotalMilliseconds, setup);
    }

    /// <summary>AutoCCL's configuration score: the mean of the fastest 75% of durations (misc/math.h meanOfTopPercent).</summary>
    public static double MeanOfTopPercent75(IReadOnlyList<double> samples)
    {
        double[] sorted = samples.Order().ToArray();
        int keep = Math.Max(1, (int)Math.Ceiling(sorted.Length * 0.75));
        return sorted.Take(keep).Average();
    }
}
