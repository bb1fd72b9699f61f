using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Truth;

/// <summary>The best configuration of the whole search space by noise-free time, and the time of NCCL's defaults.</summary>
public sealed record DryRunOracle(NcclConfig BestConfig, double BestIterationMs, double DefaultIterationMs);
