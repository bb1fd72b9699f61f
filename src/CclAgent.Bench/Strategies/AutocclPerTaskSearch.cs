using CclAgent.Nccl.Parameters;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Tuner;
using CclAgent.Simulation;
using CclAgent.Simulation.CostModel;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// AutoCCL as it runs (gbxu/autoccl): one optimizer per communication task (workload key {communicator, op, bytes}),
/// all tuning in the same running job. Each round every task draws its own candidate from its own combined-subspace
/// coordinate descent (<see cref="AutocclSearch"/>, over the ops that task runs), the job runs them together for the
/// profiled calls the least-called task needs, and each task scores its candidate on its own CUDA-event timings.
/// AutoCCL's patched NCCL applies algorithm, protocol, channels, threads and chunk per task; the simulator applies
/// them as per-collective choices with the threads/chunk extension. The P2P level is a communicator property in the
/// simulator, so the task with the most communication time chooses it for all (a limitation of the model, noted in
/// docs/benchmarks.md).
/// </summary>
internal sealed class AutocclPerTaskSearch
{
    private readonly List<Task> _tasks;
    private readonly TunerKey _dominant;

    public AutocclPerTaskSearch(SimulatedCluster cluster, WorkloadSpec workload, int budget, int seed)
    {
        var calls = workload.Iteration!.Collectives!.GroupBy(c => TunerKey.From(CollectiveCall.From(c))).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        var weights = cluster.Estimate(NcclConfig.Default).Collectives.GroupBy(t => TunerKey.From(t.Call)).ToDictionary(g => g.Key, g => g.Sum(t => t.TotalMs));
        _tasks = cluster.TunerKeys.Select((key, i) => new Task(key,
            new AutocclSearch(cluster.Space, cluster.Cluster.Platform, [key.Op], budget, new Random((seed * 9001) + i)),
            calls.GetValueOrDefault(key, 1))).ToList();
        _dominant = weights.MaxBy(kv => kv.Value).Key;
    }

    /// <summary>Training iterations one round needs: every task profiled <see cref="AutocclInJobEvaluation.ProfileRepeat"/> times.</summary>
    public double IterationsPerRound => _tasks.Max(t => Math.Ceiling(AutocclInJobEvaluation.ProfileRepeat / (double)Math.Max(1, t.CallsPerIteration)));

    /// <summary>This round's candidates, one per task, combined into the configuration the job runs.</summary>
    public NcclConfig Next()
    {
        foreach (Task task in _tasks)
        {
            task.Pending = task.Search.Next();
        }

        return Combine(t => t.Pending!);
    }

    /// <summary>Each task scores its own candidate (null: the job failed, every candidate of the round with it).</summary>
    public void Report(CollectiveSamples measured)
    {
        foreach (Task task in _tasks)
        {
            double? score = measured.Outcome.IsOk && measured.CallUs.TryGetValue(task.Key, out double[]? calls) ? AutocclCdStrategy.MeanOfTopPercent75(calls) : null;
            task.Search.Report(task.Pending!, score);
            if (score is double s && s < task.BestScore)
            {
                (task.Best, task.BestScore) = (task.Pending!, s);
            }
        }
    }

    /// <summary>What AutoCCL deploys now: every task's best candidate so far.</summary>
    public NcclConfig Deployed() => Combine(t => t.Best);

    private NcclConfig Combine(Func<Task, NcclConfig> pick)
    {
        NcclConfig config = NcclConfig.Default with { P2PLevel = pick(_tasks.First(t => t.Key == _dominant)).P2PLevel };
        foreach (Task task in _tasks)
        {
            config = config.WithChoice(task.Key, Choice(pick(task)));
        }

        return config;
    }

    /// <summary>A task's candidate (a point of AutoCCL's space) as the per-collective choice NCCL applies; NCCL's own for the native warm-up.</summary>
    private static TunerChoice? Choice(NcclConfig candidate)
    {
        if (candidate.Algorithm is not NcclAlgorithm algorithm || candidate.Protocol is not NcclProtocol protocol)
        {
            return null;
        }

        return new TunerChoice(algorithm, protocol, candidate.MaxChannels ?? TunerChoice.NcclChannels)
        {
            Threads = candidate.NThreads,
            ChunkBytes = candidate.BuffSize is null ? null : NcclSelector.ChunkBytes(protocol, candidate),
        };
    }

    private sealed class Task(TunerKey key, AutocclSearch search, int callsPerIteration)
    {
        public TunerKey Key => key;
        public AutocclSearch Search => search;
        public int CallsPerIteration => callsPerIteration;
        public NcclConfig? Pending { get; set; }
        public NcclConfig Best { get; set; } = NcclConfig.Default;
        public double BestScore { get; set; } = double.PositiveInfinity;
    }
}
