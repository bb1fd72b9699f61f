using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;

namespace CclAgent.Tuning;

/// <summary>The dry-run truth backed by a simulated cluster.</summary>
public sealed class SimulatorTruth(SimulatedCluster cluster, OracleResult? precomputed = null) : IDryRunTruth
{
    private OracleResult? _oracle = precomputed;

    public double TrueIterationMs(NcclConfig config) => cluster.Estimate(config).IterationMs;

    public OracleResult Oracle() => _oracle ??= ExhaustiveOracle.Solve(cluster);
}
