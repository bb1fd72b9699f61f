namespace CclAgent.Trace.Kineto;

/// <summary>
/// Matches collective calls across ranks: the k-th NCCL kernel of one op and process group (<c>Process Group Ranks</c>)
/// on each rank is the same call. Send/receive kernels are left out: the trace does not name their peers.
/// </summary>
internal static class Calls
{
    /// <summary>Every call seen on two or more ranks, as each rank's kernel for it.</summary>
    public static IEnumerable<List<(RankTrace Rank, GpuEvent Kernel)>> Match(IReadOnlyList<RankTrace> ranks)
    {
        var byKey = new Dictionary<(string Op, string Group), List<(RankTrace Rank, List<GpuEvent> Kernels)>>();
        foreach (RankTrace t in ranks)
        {
            var collectives = t.Gpu.Where(e => e.Kind == GpuKind.Communication && !NcclKernelName.Parse(e.Name).IsPointToPoint);
            foreach (var g in collectives.GroupBy(e => (NcclKernelName.Parse(e.Name).Op, e.Nccl?.Ranks ?? "")))
            {
                byKey.TryAdd(g.Key, []);
                byKey[g.Key].Add((t, g.OrderBy(e => e.Ts).ToList()));
            }
        }

        foreach (var perRank in byKey.Values.Where(v => v.Count >= 2))
        {
            int calls = perRank.Max(r => r.Kernels.Count);
            for (int k = 0; k < calls; k++)
            {
                var call = perRank.Where(r => k < r.Kernels.Count).Select(r => (r.Rank, r.Kernels[k])).ToList();
                if (call.Count >= 2)
                {
                    yield return call;
                }
            }
        }
    }

    /// <summary>Gives each rank's index the calls its kernels belong to, for the critical path.</summary>
    public static void Link(IReadOnlyList<RankIndex> ranks)
    {
        var index = new Dictionary<RankTrace, RankIndex>(ReferenceEqualityComparer.Instance);
        foreach (RankIndex r in ranks)
        {
            index[r.Trace] = r;
        }

        foreach (var call in Match(ranks.Select(r => r.Trace).ToList()))
        {
            var members = call.Select(c => (index[c.Rank], c.Kernel)).ToList();
            foreach ((RankIndex rank, GpuEvent kernel) in members)
            {
                rank.Call[kernel] = members;
            }
        }
    }

    /// <summary>The member of <paramref name="kernel"/>'s call that started last, or null when it is unmatched.</summary>
    public static (RankIndex Rank, GpuEvent Kernel)? LastArrival(RankIndex rank, GpuEvent kernel) =>
        rank.Call.TryGetValue(kernel, out var call) ? call.MaxBy(c => c.Kernel.Ts) : null;
}
