using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;
using CclAgent.Tuning.Truth;

namespace CclAgent.Runtime.Simulated;

/// <summary>The dry-run truth backed by a simulated cluster; a precomputed oracle (bench shares one per scenario) saves the walk.</summary>
public sealed class SimulatorTruth(SimulatedCluster cluster, OracleResult? precomputed = null) : IDryRunTruth
{
    private OracleResult? _oracle = precomputed;

    public double TrueIterationMs(NcclConfig config) => cluster.Estimate(config).IterationMs;

    public DryRunOracle Oracle()
    {
        OracleResult oracle = _oracle ??= ExhaustiveOracle.Solve(cluster);
        return new DryRunOracle(oracle.BestConfig, oracle.BestIterationMs, oracle.DefaultIterationMs);
    }
}
