using CclAgent.Nccl.Parameters;

namespace CclAgent.Simulation.Oracle;

/// <summary>The best configuration of the joint space (environment × per-collective choices), beside the environment-only oracle.</summary>
public sealed record JointOracleResult(NcclConfig BestConfig, double BestIterationMs, double DefaultIterationMs, OracleResult Global, long EnvironmentsEvaluated, double ElapsedMs)
{
    public double GlobalBestIterationMs => Global.BestIterationMs;
}
