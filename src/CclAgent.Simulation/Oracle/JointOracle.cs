using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using CclAgent.Simulation.CostModel;

namespace CclAgent.Simulation.Oracle;

/// <summary>
/// The yardstick for per-collective tuning: the fastest configuration of the joint space — every environment
/// configuration of the search space, and, for those that leave NCCL_ALGO/NCCL_PROTO unset (the plugin's cells must
/// stay available), every combination of per-collective choices (algorithm × protocol × channels, or no row) — on the
/// noise-free truth. Exact, not a bound: an iteration costs max(C + F, G), with F = Σ exposed + SM loss and
/// G = Σ exposed + overlapped over the collectives, each collective's choice adding its own (f, g) to both sums. The
/// maximum is non-decreasing in F and in G, so a partial combination whose (F, G) another one dominates can never
/// complete into a better iteration: merging collective by collective while keeping only the Pareto front of (F, G)
/// finds the true minimum (docs/simulator.md). Hazards are a property of the environment alone, as NCCL allocates
/// buffers for every algorithm it may run when none is forced.
/// </summary>
public static class JointOracle
{
    /// <summary>Per-collective channel counts the joint space offers: the search space's channel grid.</summary>
    public static IReadOnlyList<int> ChannelChoices => TunerCells.Channels;

    public static JointOracleResult Solve(SimulatedCluster cluster, OracleResult? global = null)
    {
        var work = new JointOracleWork(cluster);
        global ??= ExhaustiveOracle.Solve(cluster);
        // One core stays free: in a dry run the oracle is solved in the background while the agent itself decides.
        int workers = Math.Max(1, Environment.ProcessorCount - 1);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => work.Help());
        return work.Result(global);
    }

    /// <summary>The best per-collective choices under one environment, by Pareto merge over (F, G).</summary>
    internal static (double Ms, NcclConfig Config) BestChoices(SimulatedCluster cluster, NcclConfig environment, IReadOnlyList<IGrouping<TunerKey, (CollectiveSpec Spec, CollectiveCall Call)>> keys)
    {
        var front = new List<Partial> { new(0, 0, null, -1) };
        var options = new List<List<(TunerChoice? Choice, double F, double G)>>();
        foreach (var key in keys)
        {
            List<(TunerChoice? Choice, double F, double G)> choices = Options(cluster, environment, key);
            options.Add(choices);
            front = Merge(front, choices, options.Count - 1);
            if (front.Count == 0)
            {
                return (double.PositiveInfinity, environment);
            }
        }

        Partial winner = front.MinBy(p => Math.Max(cluster.ComputeMs + p.F, p.G))!;
        double ms = Math.Max(cluster.ComputeMs + winner.F, winner.G);
        NcclConfig config = environment;
        for (Partial? p = winner; p is { Level: >= 0 }; p = p.Parent)
        {
            if (options[p.Level][p.Option].Choice is { } choice)
            {
                config = config.WithChoice(keys[p.Level].Key, choice);
            }
        }

        return (ms, config);
    }

    /// <summary>Each way one collective key can run under this environment, with what it adds to F and to G.</summary>
    private static List<(TunerChoice? Choice, double F, double G)> Options(SimulatedCluster cluster, NcclConfig environment, IGrouping<TunerKey, (CollectiveSpec Spec, CollectiveCall Call)> key)
    {
        var options = new List<(TunerChoice?, double, double)>();
        CollectiveCall call = key.First().Call;
        if (Contribution(cluster, environment, key) is { } native)
        {
            options.Add((null, native.F, native.G));
        }

        // Channel counts above the limit are clamped to it: the first choice at or above the limit stands for all of them.
        int commChannels = cluster.Selector.CommChannels(call, environment);

        foreach (NcclAlgorithm algorithm in TunerCells.Algorithms)
        {
            foreach (NcclProtocol protocol in TunerCells.Protocols)
            {
                if (!cluster.Selector.PluginCellAvailable(call, algorithm, protocol, environment))
                {
                    continue;
                }

                int limit = cluster.Selector.PluginChannelLimit(algorithm, commChannels);
                foreach (int channels in ChannelChoices.Where((c, i) => c <= limit || i == 0 || ChannelChoices[i - 1] < limit))
                {
                    var choice = new TunerChoice(algorithm, protocol, channels);
                    if (Contribution(cluster, environment.WithChoice(key.Key, choice), key) is { } c)
                    {
                        options.Add((choice, c.F, c.G));
                    }
                }
            }
        }

        return options;
    }

    /// <summary>What one key's collectives add to F (exposed + SM loss) and G (exposed + overlapped), as SimulatedCluster combines them.</summary>
    private static (double F, double G)? Contribution(SimulatedCluster cluster, NcclConfig config, IEnumerable<(CollectiveSpec Spec, CollectiveCall Call)> groups)
    {
        double f = 0;
        double g = 0;
        foreach ((CollectiveSpec spec, CollectiveCall call) in groups)
        {
            NcclDecision? decision = cluster.Selector.Choose(call, config);
            if (decision is null)
            {
                return null;
            }

            double total = cluster.Truth.CallTimeUs(call, decision, config) * spec.Count / 1000.0;
            double exposed = total * (1 - spec.Overlap);
            double hidden = total * spec.Overlap * SimulatedCluster.OverlapSlowdown;
            f += exposed + (hidden * decision.Channels / cluster.Cluster.SmCount);
            g += exposed + hidden;
        }

        return (f, g);
    }

    /// <summary>Adds one key's options to every partial combination and keeps the Pareto front (lower F and lower G).</summary>
    private static List<Partial> Merge(List<Partial> front, List<(TunerChoice? Choice, double F, double G)> options, int level)
    {
        var next = new List<Partial>(front.Count * options.Count);
        foreach (Partial partial in front)
        {
            for (int o = 0; o < options.Count; o++)
            {
                next.Add(new Partial(partial.F + options[o].F, partial.G + options[o].G, partial, level) { Option = o });
            }
        }

        next.Sort((a, b) => a.F != b.F ? a.F.CompareTo(b.F) : a.G.CompareTo(b.G));
        var kept = new List<Partial>();
        double lowestG = double.PositiveInfinity;
        foreach (Partial candidate in next)
        {
            if (candidate.G < lowestG - 1e-12)
            {
                kept.Add(candidate);
                lowestG = candidate.G;
            }
        }

        return kept;
    }

    /// <summary>A partial combination: its sums so far and the option it took at <see cref="Level"/>.</summary>
    private sealed record Partial(double F, double G, Partial? Parent, int Level)
    {
        public int Option { get; init; }
    }
}
