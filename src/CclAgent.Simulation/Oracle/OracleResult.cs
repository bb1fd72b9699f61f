using CclAgent.Nccl.Parameters;

namespace CclAgent.Simulation.Oracle;

/// <summary>The best configuration of the discrete space and how it compares with NCCL's default.</summary>
public sealed record OracleResult(NcclConfig BestConfig, double BestIterationMs, double DefaultIterationMs, long Evaluated, long Runnable, double ElapsedMs)
{
    public double DefaultGap => DefaultIterationMs / BestIterationMs;
}
