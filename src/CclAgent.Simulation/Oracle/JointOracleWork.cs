using System.Diagnostics;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using CclAgent.Core.Workloads;

namespace CclAgent.Simulation.Oracle;

/// <summary>
/// The joint oracle's walk over environments as work any thread can help with: each thread claims the next
/// environment and writes its best choices to that environment's own slot, so who solved which changes nothing;
/// the result is reduced in the environments' order, the earliest of equal minima winning. A dry run's agent, once it
/// only waits for the oracle, helps instead of idling.
/// </summary>
public sealed class JointOracleWork
{
    private readonly SimulatedCluster _cluster;
    private readonly List<IGrouping<TunerKey, (CollectiveSpec Spec, CollectiveCall Call)>> _keys;
    private readonly NcclConfig[] _environments;
    private readonly (double Ms, NcclConfig Config)[] _solved;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _start = Stopwatch.GetTimestamp();
    private int _next = -1;
    private int _remaining;

    public JointOracleWork(SimulatedCluster cluster)
    {
        _cluster = cluster;
        _keys = cluster.DistinctCollectives.GroupBy(c => TunerKey.From(c.Call)).ToList();
        _environments = [.. cluster.Space.Without(ParameterSpace.Algo, ParameterSpace.Proto).Enumerate()];
        _solved = new (double, NcclConfig)[_environments.Length];
        _remaining = _environments.Length;
        if (_remaining == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Solves environments until none is left unclaimed (environments are independent: selector, truth and hazards are pure).</summary>
    public void Help()
    {
        for (int i = Interlocked.Increment(ref _next); i < _environments.Length; i = Interlocked.Increment(ref _next))
        {
            NcclConfig environment = _environments[i];
            _solved[i] = _cluster.Hazards.Evaluate(environment).IsOk
                ? JointOracle.BestChoices(_cluster, environment, _keys)
                : (double.PositiveInfinity, environment);
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }
    }

    /// <summary>Waits for every environment (claimed by any thread) and reduces them against the environment-only oracle.</summary>
    public JointOracleResult Result(OracleResult global)
    {
        _done.Task.GetAwaiter().GetResult();
        NcclConfig best = global.BestConfig;
        double bestMs = global.BestIterationMs;
        foreach ((double ms, NcclConfig config) in _solved)
        {
            if (ms < bestMs - 1e-9)
            {
                bestMs = ms;
                best = config;
            }
        }

        return new JointOracleResult(best, bestMs, global.DefaultIterationMs, global, _environments.Length, Stopwatch.GetElapsedTime(_start).TotalMilliseconds);
    }
}
