using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Truth;

/// <summary>
/// The best configuration of the joint space (environment × per-collective choices) by noise-free time, the time of
/// NCCL's defaults, and the best of environment variables alone beside them.
/// </summary>
public sealed record DryRunOracle(NcclConfig BestConfig, double BestIterationMs, double DefaultIterationMs)
{
    public double? GlobalBestIterationMs { get; init; }
}
