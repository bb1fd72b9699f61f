using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;
using CclAgent.Tuning.Truth;

namespace CclAgent.Runtime.Simulated;

/// <summary>The dry-run truth backed by a simulated cluster; a precomputed oracle (bench shares one per scenario) saves the walk.</summary>
public sealed class SimulatorTruth(SimulatedCluster cluster, JointOracleResult? precomputed = null) : IDryRunTruth
{
    private JointOracleResult? _oracle = precomputed;

    public double TrueIterationMs(NcclConfig config) => cluster.Estimate(config).IterationMs;

    public DryRunOracle Oracle()
    {
        JointOracleResult oracle = _oracle ??= JointOracle.Solve(cluster);
        return new DryRunOracle(oracle.BestConfig, oracle.BestIterationMs, oracle.DefaultIterationMs) { GlobalBestIterationMs = oracle.GlobalBestIterationMs };
    }
}
