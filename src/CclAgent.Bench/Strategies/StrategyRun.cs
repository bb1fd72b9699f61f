namespace CclAgent.Bench.Strategies;

/// <summary>Everything one strategy did on one scenario with one seed.</summary>
public sealed record StrategyRun(IReadOnlyList<TrialPoint> Trials, int MicrobenchmarkRuns, double ElapsedMs)
{
    /// <summary>Cluster seconds charged before the first trial: the microbenchmark, or the one job start of an in-job tuner.</summary>
    public double SetupClusterSeconds { get; init; }

    /// <summary>The part of <see cref="SetupClusterSeconds"/> spent on microbenchmark runs.</summary>
    public double MicrobenchmarkClusterSeconds { get; init; }

    /// <summary>Cluster seconds charged after the last trial (ccl-agent's confirmation run).</summary>
    public double TrailingClusterSeconds { get; init; }

    /// <summary>
    /// Noise-free time of what the strategy hands over at the end, when that is not simply its last incumbent
    /// (ccl-agent delivers NCCL's defaults when its best was not confirmed faster beyond noise).
    /// </summary>
    public double? DeliveredTrueMs { get; init; }

    /// <summary>GPUs of the scenario's allocation, for GPU-hours.</summary>
    public int Gpus { get; init; } = 1;
}
