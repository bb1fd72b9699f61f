namespace CclAgent.Trace.Kineto;

/// <summary>
/// Matches collective calls across ranks as the straggler analysis does: the k-th NCCL kernel of one op and process
/// group (<c>Process Group Ranks</c>) on each rank is the same call.
/// </summary>
internal static class Calls
{
    public static void Link(IReadOnlyList<RankIndex> ranks)
    {
        var byKey = new Dictionary<(string Op, string Group), List<(RankIndex Rank, List<GpuEvent> Kernels)>>();
        foreach (RankIndex r in ranks)
        {
            foreach (var g in r.Trace.Gpu.Where(e => e.Kind == GpuKind.Communication && !NcclKernelName.Parse(e.Name).IsPointToPoint).GroupBy(e => (NcclKernelName.Parse(e.Name).Op, e.Nccl?.Ranks ?? "")))
            {
                byKey.TryAdd(g.Key, []);
                byKey[g.Key].Add((r, g.OrderBy(e => e.Ts).ToList()));
            }
        }

        foreach (var perRank in byKey.Values.Where(v => v.Count >= 2))
        {
            int calls = perRank.Max(r => r.Kernels.Count);
            for (int k = 0; k < calls; k++)
            {
                var call = perRank.Where(r => k < r.Kernels.Count).Select(r => (r.Rank, r.Kernels[k])).ToList();
                foreach ((RankIndex rank, GpuEvent kernel) in call)
                {
                    rank.Call[kernel] = call;
                }
            }
        }
    }

    /// <summary>The member of <paramref name="kernel"/>'s call that started last, or null when it is unmatched.</summary>
    public static (RankIndex Rank, GpuEvent Kernel)? LastArrival(RankIndex rank, GpuEvent kernel) =>
        rank.Call.TryGetValue(kernel, out var call) ? call.MaxBy(c => c.Kernel.Ts) : null;
}
