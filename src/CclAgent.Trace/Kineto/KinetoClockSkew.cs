using System.Globalization;
using CclAgent.Core.Statistics;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Kineto;

/// <summary>
/// Clock skew between ranks, estimated from collectives: every rank's kernel of one collective call ends at about the
/// same moment (none can finish before the last rank's data arrives, and then all finish together), so the median
/// difference of a rank's kernel ends from the lowest rank's over the calls they share is its clock offset. Above
/// <see cref="ThresholdUs"/> it is reported: start-time comparisons between those ranks (stragglers, where the critical
/// path crosses ranks) are off by about that much. Nothing is corrected.
/// </summary>
internal static class KinetoClockSkew
{
    /// <summary>Kernels of one call end within a few microseconds of each other; tens of microseconds is a clock.</summary>
    internal const double ThresholdUs = 50;

    public static IEnumerable<IntegrityIssue> Issues(IReadOnlyList<RankTrace> ranks)
    {
        var differences = new Dictionary<int, List<double>>();
        int reference = ranks.Count == 0 ? 0 : ranks.Min(r => r.Rank);
        foreach (var call in Calls.Match(ranks))
        {
            if (call.FirstOrDefault(c => c.Rank.Rank == reference) is { Kernel: GpuEvent anchor })
            {
                foreach (var (rank, kernel) in call.Where(c => c.Rank.Rank != reference))
                {
                    differences.TryAdd(rank.Rank, []);
                    differences[rank.Rank].Add(kernel.End - anchor.End);
                }
            }
        }

        foreach ((int rank, List<double> d) in differences.OrderBy(kv => kv.Key))
        {
            double offset = Quantiles.MedianOfSorted(d.Order().ToArray());
            if (Math.Abs(offset) > ThresholdUs)
            {
                yield return new IntegrityIssue("temporal.clock_skew", [$"rank{rank}", $"rank{reference}"], string.Create(CultureInfo.InvariantCulture,
                    $"rank {rank}'s clock reads {Math.Abs(offset):0.###} us {(offset > 0 ? "ahead of" : "behind")} rank {reference}'s (median over {d.Count} collective calls, whose kernels end together); stragglers and the cross-rank critical path are off by about that much"));
            }
        }
    }
}
