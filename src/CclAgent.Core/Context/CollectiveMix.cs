using CclAgent.Core.Workloads;

namespace CclAgent.Core.Context;

/// <summary>
/// The collective mix of a workload as a histogram over (op, communicator shape, message size), weighted by
/// bytes × calls, and the overlap of two such histograms: what a job's communication actually does, so two
/// jobs on the same cluster with different parallelism do not look alike.
/// </summary>
public static class CollectiveMix
{
    /// <summary>
    /// Sizes this many log2 steps apart count half as alike (a factor of 8). The bench's "similar" job has every
    /// message ×1.5 (0.58 steps, 0.96 alike); a different model's all-reduce is usually a factor of 4+ away.
    /// </summary>
    private const double HalfSimilarSizeLog2 = 3;

    /// <summary>The histogram of <paramref name="collectives"/>; bins of the same op, shape and log2 size (to 0.01) merge.</summary>
    public static IReadOnlyList<CollectiveMixBin> From(IEnumerable<CollectiveSpec> collectives, int clusterNodes, int gpusPerNode)
    {
        var entries = collectives.Where(c => c.Bytes is > 0 && c.Count > 0).Select(c => new
        {
            Op = c.Op ?? "unknown",
            Nodes = c.Nodes ?? clusterNodes,
            RanksPerNode = c.RanksPerNode ?? gpusPerNode,
            SizeLog2 = Math.Round(Math.Log2(c.Bytes!.Value), 2),
            Weight = (double)c.Bytes!.Value * c.Count,
            c.Overlap,
        }).ToList();
        double total = entries.Sum(e => e.Weight);
        if (total <= 0)
        {
            return [];
        }

        return entries.GroupBy(e => (e.Op, e.Nodes, e.RanksPerNode, e.SizeLog2))
            .Select(g => new CollectiveMixBin
            {
                Op = g.Key.Op,
                Nodes = g.Key.Nodes,
                RanksPerNode = g.Key.RanksPerNode,
                SizeLog2 = g.Key.SizeLog2,
                Share = Math.Round(g.Sum(e => e.Weight) / total, 6),
                Overlap = Math.Round(g.Sum(e => e.Weight * e.Overlap) / g.Sum(e => e.Weight), 4),
            })
            .OrderBy(b => b.Op, StringComparer.Ordinal).ThenBy(b => b.Nodes).ThenBy(b => b.RanksPerNode).ThenBy(b => b.SizeLog2)
            .ToList();
    }

    /// <summary>
    /// Histogram overlap in [0, 1]: per (op, shape) group, the smaller of the two byte shares, discounted by how
    /// far apart the group's mean message sizes and overlaps are. 1 for the same mix; a job whose bytes go to
    /// another op or another communicator shape (TP inside a node vs DP across nodes) shares only what matches.
    /// </summary>
    public static double Overlap(IReadOnlyList<CollectiveMixBin> a, IReadOnlyList<CollectiveMixBin> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return a.Count == b.Count ? 1 : 0;
        }

        Dictionary<(string, int, int), Group> left = Groups(a), right = Groups(b);
        double overlap = 0;
        foreach (((string, int, int) key, Group l) in left)
        {
            if (!right.TryGetValue(key, out Group r))
            {
                continue;
            }

            double size = 1 / (1 + Math.Pow((l.SizeLog2 - r.SizeLog2) / HalfSimilarSizeLog2, 2));
            double hidden = 1 - (0.5 * Math.Abs(l.Overlap - r.Overlap));
            overlap += Math.Min(l.Share, r.Share) * size * hidden;
        }

        return Math.Clamp(overlap, 0, 1);
    }

    private static Dictionary<(string, int, int), Group> Groups(IReadOnlyList<CollectiveMixBin> bins) =>
        bins.GroupBy(b => (b.Op.ToLowerInvariant(), b.Nodes, b.RanksPerNode)).ToDictionary(
            g => g.Key,
            g =>
            {
                double share = g.Sum(b => b.Share);
                return share <= 0
                    ? new Group(0, g.Average(b => b.SizeLog2), g.Average(b => b.Overlap))
                    : new Group(share, g.Sum(b => b.Share * b.SizeLog2) / share, g.Sum(b => b.Share * b.Overlap) / share);
            });

    private readonly record struct Group(double Share, double SizeLog2, double Overlap);
}
