using CclAgent.Core.Statistics;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Kineto;

/// <summary>
/// Stragglers: the k-th NCCL kernel of one op (and process group) on each rank is the same collective call, and a
/// collective cannot finish before its last rank arrives. For each call seen on two or more ranks, the rank with the
/// latest kernel start is last, and its margin is its start minus the second-latest start (the time it alone held the
/// others). A rank that is last in more than half of the matched calls with a median margin of at least
/// <see cref="MinMarginUs"/> is a straggler.
/// </summary>
internal static class KinetoStragglers
{
    /// <summary>Below this the margin is within the ranks' clock alignment, not a slow rank.</summary>
    internal const double MinMarginUs = 10;

    public static List<StragglerRow> Find(IReadOnlyList<RankTrace> ranks) => FromArrivals(Calls(ranks));

    /// <summary>The stragglers among matched calls, each given as every rank's arrival time (larger is later).</summary>
    internal static List<StragglerRow> FromArrivals(IEnumerable<List<(int Rank, double Ts)>> calls)
    {
        var margins = new Dictionary<int, List<double>>();
        int matched = 0;
        foreach (List<(int Rank, double Ts)> call in calls)
        {
            matched++;
            var order = call.OrderByDescending(c => c.Ts).ToList();
            (int last, double lastTs) = order[0];
            margins.TryAdd(last, []);
            margins[last].Add(lastTs - order[1].Ts);
        }

        return margins
            .Where(m => m.Value.Count * 2 > matched && Quantiles.MedianOfSorted(m.Value.Order().ToArray()) >= MinMarginUs)
            .Select(m => new StragglerRow(m.Key, m.Value.Count, matched, Math.Round(m.Value.Average(), 3), Math.Round(Quantiles.MedianOfSorted(m.Value.Order().ToArray()), 3)))
            .OrderBy(s => s.Rank)
            .ToList();
    }

    /// <summary>Each matched call: the start of its kernel on every rank that has it.</summary>
    private static IEnumerable<List<(int Rank, double Ts)>> Calls(IReadOnlyList<RankTrace> ranks) =>
        Kineto.Calls.Match(ranks).Select(call => call.Select(c => (c.Rank.Rank, c.Kernel.Ts)).ToList());
}
