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
    private volatile JointOracleWork? _joint;

    public SimulatorTruth(SimulatedCluster cluster, Func<SimulatedCluster> oracleCluster, JointOracleResult? precomputed = null)
    {
        _cluster = cluster;
        _oracle = precomputed is not null ? Task.FromResult(precomputed) : Task.Run(() => Solve(oracleCluster()));
    }

    /// <summary>
    /// One background thread (the other core stays the agent's): the environment-only oracle, then the joint walk,
    /// which the agent joins once it waits for the result (<see cref="Oracle"/>); the result does not depend on who helps.
    /// </summary>
    private JointOracleResult Solve(SimulatedCluster oracleCluster)
    {
        var joint = new JointOracleWork(oracleCluster);
        _joint = joint;
        OracleResult global = ExhaustiveOracle.Solve(oracleCluster);
        joint.Help();
        return joint.Result(global);
    }

    public double TrueIterationMs(NcclConfig config) => _cluster.Estimate(config).IterationMs;

    public DryRunOracle Oracle()
    {
        // Waiting would leave this core idle: solve joint environments here until none is left, then wait for the rest.
        _joint?.Help();
        JointOracleResult oracle = _oracle.GetAwaiter().GetResult();
        return new DryRunOracle(oracle.BestConfig, oracle.BestIterationMs, oracle.DefaultIterationMs) { GlobalBestIterationMs = oracle.GlobalBestIterationMs };
    }
}
