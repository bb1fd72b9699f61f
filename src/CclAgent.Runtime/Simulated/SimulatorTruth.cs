using CclAgent.Nccl.Parameters;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;
using CclAgent.Tuning.Truth;

namespace CclAgent.Runtime.Simulated;

/// <summary>
/// The dry-run truth backed by a simulated cluster. The oracle is solved on a cluster of its own, on a background
/// thread from the moment the run is put together, so its walk over the joint space overlaps the tuning instead of
/// adding to it; a precomputed oracle (bench shares one per scenario) skips the walk.
/// </summary>
public sealed class SimulatorTruth : IDryRunTruth
{
    private readonly SimulatedCluster _cluster;
    private readonly Task<JointOracleResult> _oracle;

    public SimulatorTruth(SimulatedCluster cluster, Func<SimulatedCluster> oracleCluster, JointOracleResult? precomputed = null)
    {
        _cluster = cluster;
        _oracle = precomputed is not null ? Task.FromResult(precomputed) : Task.Run(() => JointOracle.Solve(oracleCluster()));
    }

    public double TrueIterationMs(NcclConfig config) => _cluster.Estimate(config).IterationMs;

    public DryRunOracle Oracle()
    {
        JointOracleResult oracle = _oracle.GetAwaiter().GetResult();
        return new DryRunOracle(oracle.BestConfig, oracle.BestIterationMs, oracle.DefaultIterationMs) { GlobalBestIterationMs = oracle.GlobalBestIterationMs };
    }
}
