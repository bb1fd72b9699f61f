using System.Diagnostics;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// A faithful re-implementation of AutoCCL's search (NSDI'25; gbxu/autoccl, TUNER_MODE 5
/// "descent-combined") at the granularity of one job run per evaluation: native warm-up,
/// implementation subspaces (algorithm × protocol × transport/P2P level), random pretraining,
/// coordinate descent over channels, threads and chunk (buffer) inside each subspace with early exits
/// for slow subspaces and random restarts. Scores are AutoCCL's mean of the fastest 75% of samples.
/// </summary>
public sealed class AutocclCdStrategy : IBenchStrategy
{
    public string Name => "autoccl-cd";

    public Task<StrategyRun> RunAsync(StrategyInput input, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var ledger = new TrialLedger(input);
        var search = new AutocclSearch(ledger.Cluster.Space, ledger.Cluster.Cluster.Platform, ledger.Cluster.Ops.ToArray(), input.Budget, new Random(input.Seed * 9001));
        for (int trial = 0; trial < input.Budget; trial++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NcclConfig config = search.Next();
            double? score = ledger.Run(config, MeanOfTopPercent75);
            search.Report(config, score);
        }

        return Task.FromResult(new StrategyRun(ledger.Points, 0, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
    }

    /// <summary>AutoCCL's configuration score: the mean of the fastest 75% of durations (misc/math.h meanOfTopPercent).</summary>
    public static double MeanOfTopPercent75(IReadOnlyList<double> samples)
    {
        double[] sorted = samples.Order().ToArray();
        int keep = Math.Max(1, (int)Math.Ceiling(sorted.Length * 0.75));
        return sorted.Take(keep).Average();
    }
}
