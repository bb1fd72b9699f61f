using System.Globalization;
using CclAgent.Core.Workloads;
using CclAgent.Trace.Graph;

namespace CclAgent.Trace.Kineto;

/// <summary>
/// A workload spec's <c>iteration</c> block from Kineto traces: compute per iteration (the union of compute kernels
/// divided by the rank's ProfilerStep count, averaged over ranks), and one collective per (op, bytes, communicator size)
/// with its calls per iteration and the share of its kernel time that compute kernels overlapped.
/// </summary>
internal static class KinetoWorkload
{
    /// <summary>PyTorch's collective names (from the kernel name) to the workload spec's ops; others cannot be simulated.</summary>
    private static readonly Dictionary<string, string> Ops = new(StringComparer.OrdinalIgnoreCase)
    {
        ["allreduce"] = "all_reduce",
        ["allgather"] = "all_gather",
        ["_allgather_base"] = "all_gather",
        ["reducescatter"] = "reduce_scatter",
        ["_reduce_scatter_base"] = "reduce_scatter",
        ["broadcast"] = "broadcast",
        ["reduce"] = "reduce",
    };

    public static WorkloadSpec Build(IReadOnlyList<RankTrace> ranks, ClusterSpec cluster, string name)
    {
        var skipped = new SortedSet<string>(StringComparer.Ordinal);
        List<CollectiveSpec> collectives = Collectives(ranks, cluster.GpusPerNode ?? 8, skipped);
        if (collectives.Count == 0)
        {
            throw new TraceInputException($"{ranks[0].Path}: no NCCL kernel of a supported op (all_reduce, all_gather, reduce_scatter, broadcast, reduce) with size args; expected a Kineto trace of a distributed job");
        }

        int[] steps = ranks.Select(Iterations).Distinct().ToArray();
        string skippedText = skipped.Count == 0 ? "" : $"; not modelled: {string.Join(", ", skipped)}";
        return new WorkloadSpec
        {
            Name = name,
            Description = string.Create(CultureInfo.InvariantCulture, $"From {ranks.Count} Kineto trace(s), {string.Join("/", steps)} iteration(s) per rank (ProfilerStep annotations){skippedText}."),
            Kind = "training",
            Cluster = cluster,
            Iteration = new IterationSpec { ComputeMs = Math.Round(ranks.Average(ComputePerIterationUs) / 1000, 3), Collectives = collectives },
        };
    }

    /// <summary>Iterations a rank's trace covers: its ProfilerStep#N annotations, else the whole trace is one.</summary>
    private static int Iterations(RankTrace t) => Math.Max(1, t.Steps);

    private static double ComputePerIterationUs(RankTrace t) =>
        Intervals.Length(ComputeUnion(t)) / Iterations(t);

    private static List<(double Start, double End)> ComputeUnion(RankTrace t) =>
        Intervals.Union(t.Gpu.Where(e => e.Kind == GpuKind.Compute).Select(e => (e.Ts, e.End)));

    private static List<CollectiveSpec> Collectives(IReadOnlyList<RankTrace> ranks, int gpusPerNode, SortedSet<string> skipped)
    {
        var groups = new Dictionary<(string Op, long Bytes, int Size), Accumulator>();
        foreach (RankTrace t in ranks)
        {
            List<(double Start, double End)> compute = ComputeUnion(t);
            foreach (GpuEvent e in t.Gpu.Where(e => e.Kind == GpuKind.Communication))
            {
                string raw = NcclKernelName.Parse(e.Name).Op;
                long bytes = KinetoAnalyzer.Bytes(e.Nccl);
                if (!Ops.TryGetValue(raw, out string? op) || bytes <= 0)
                {
                    skipped.Add(bytes <= 0 ? $"{raw} (no size args)" : raw);
                    continue;
                }

                int size = e.Nccl?.GroupSize is int g and > 0 ? g : t.WorldSize;
                var key = (op, bytes, size);
                if (!groups.TryGetValue(key, out Accumulator? acc))
                {
                    groups[key] = acc = new Accumulator();
                }

                acc.Add(t, e.Dur, Intervals.OverlapWith(compute, e.Ts, e.End));
            }
        }

        return groups.OrderBy(g => g.Key.Op, StringComparer.Ordinal).ThenBy(g => g.Key.Bytes)
            .Select(g => Spec(g.Key.Op, g.Key.Bytes, g.Key.Size, g.Value, gpusPerNode)).ToList();
    }

    /// <summary>Communicator shape: ranks fill nodes of the cluster's GPUs per node, as torchrun places them.</summary>
    private static CollectiveSpec Spec(string op, long bytes, int size, Accumulator acc, int gpusPerNode)
    {
        int perNode = Math.Clamp(size, 1, Math.Max(1, gpusPerNode));
        return new CollectiveSpec
        {
            Name = string.Create(CultureInfo.InvariantCulture, $"{op}_{bytes}"),
            Op = op,
            Bytes = bytes,
            Count = Math.Max(1, (int)Math.Round(acc.CallsPerIteration(), MidpointRounding.AwayFromZero)),
            Nodes = (size + perNode - 1) / perNode,
            RanksPerNode = perNode,
            Overlap = acc.DurationUs > 0 ? Math.Round(acc.OverlappedUs / acc.DurationUs, 3) : 0,
        };
    }

    /// <summary>Per group: calls per rank (for the per-iteration count) and kernel time with its compute overlap.</summary>
    private sealed class Accumulator
    {
        private readonly Dictionary<RankTrace, int> _calls = new(ReferenceEqualityComparer.Instance);

        public double DurationUs { get; private set; }

        public double OverlappedUs { get; private set; }

        public void Add(RankTrace rank, double durationUs, double overlappedUs)
        {
            _calls[rank] = _calls.GetValueOrDefault(rank) + 1;
            DurationUs += durationUs;
            OverlappedUs += overlappedUs;
        }

        /// <summary>The mean over the ranks that issued it of calls / iterations.</summary>
        public double CallsPerIteration() => _calls.Average(c => (double)c.Value / Iterations(c.Key));
    }
}
