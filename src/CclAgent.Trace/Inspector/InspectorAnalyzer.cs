using System.Globalization;
using CclAgent.Trace.Kineto;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Inspector;

/// <summary>
/// Analyses NCCL Inspector logs (one file per process, a directory of them is one job): the per-collective table with
/// bandwidths computed the nccl-tests way, stragglers from calls matched across ranks by communicator and sequence
/// number, and the integrity of what the Inspector kept.
/// </summary>
internal static class InspectorAnalyzer
{
    public static TraceReport Analyze(IReadOnlyList<InspectorLog> logs, IReadOnlyList<string> inputs)
    {
        var records = logs.SelectMany(l => l.Records).ToList();
        var issues = logs.SelectMany(l => l.Issues).ToList();
        issues.AddRange(UnmatchedCalls(records));
        return new TraceReport
        {
            Inputs = inputs,
            Format = "nccl-inspector",
            Integrity = new IntegritySection { Valid = issues.Count == 0, Issues = issues },
            Stragglers = KinetoStragglers.FromArrivals(Arrivals(records)),
            Collectives = Collectives(records),
        };
    }

    /// <summary>
    /// nccl-tests' size of one call: Inspector reports AllGather and ReduceScatter per rank, and its own bandwidth
    /// multiplies them by n_ranks (NVIDIA/nccl plugins/profiler/inspector/inspector.cc, inspectorComputeOpBw).
    /// </summary>
    internal static long TestsBytes(InspectorRecord r) => !r.IsP2p && IsGatherOrScatter(r.Op) ? r.MsgBytes * r.NRanks : r.MsgBytes;

    private static bool IsGatherOrScatter(string op) => op.ToLowerInvariant() is "allgather" or "allgatherv" or "reducescatter";

    private static List<CollectiveRow> Collectives(List<InspectorRecord> records)
    {
        var rows = new List<CollectiveRow>();
        foreach (var g in records.GroupBy(r => (r.Op, Bytes: TestsBytes(r), r.Algorithm, r.Protocol, r.NRanks)))
        {
            var times = g.Select(r => r.ExecUs).Order().ToList();
            double mean = times.Average();
            double algbw = mean > 0 ? g.Key.Bytes / (mean * 1e-6) / 1e9 : 0;
            string factorOp = g.Key.Op.Equals("AllGatherV", StringComparison.OrdinalIgnoreCase) ? "allgather" : g.Key.Op;
            double busbw = g.First().IsP2p ? algbw : algbw * KinetoAnalyzer.BusFactor(factorOp, g.Key.NRanks);
            rows.Add(new(g.Key.Op, g.Key.Bytes, "", g.Key.Algorithm, g.Key.Protocol, times.Count, Math.Round(mean, 3),
                Math.Round(times[Math.Clamp((int)Math.Ceiling(0.95 * times.Count) - 1, 0, times.Count - 1)], 3),
                Math.Round(algbw, 3), Math.Round(busbw, 3), g.Select(r => r.Process).Distinct().Count()));
        }

        return rows.OrderByDescending(r => r.Count * r.MeanUs).ToList();
    }

    /// <summary>
    /// Each collective call seen on two or more ranks, as arrival order. Without cross-host clocks the arrival is read
    /// from the kernel time: ranks that arrive early wait inside the kernel for the last one, so the last rank to arrive
    /// has the shortest execution time, and its margin over the second-shortest is how long it alone held the others.
    /// A process is named by its rank in the largest communicator it belongs to (usually the world).
    /// </summary>
    private static IEnumerable<List<(int Rank, double Ts)>> Arrivals(List<InspectorRecord> records)
    {
        var processRank = records
            .GroupBy(r => r.Process)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.NRanks).ThenBy(r => r.CommId, StringComparer.Ordinal).First().Rank);
        return records
            .Where(r => !r.IsP2p)
            .GroupBy(r => (r.CommId, r.Sn, r.Op))
            .Where(g => g.Select(r => r.Process).Distinct().Count() >= 2)
            .OrderBy(g => g.Key.CommId, StringComparer.Ordinal).ThenBy(g => g.Key.Sn)
            .Select(g => g.GroupBy(r => r.Process).Select(p => (processRank[p.Key], -p.First().ExecUs)).ToList());
    }

    /// <summary>Calls missing on some ranks of a communicator whose every rank is present elsewhere: records were lost.</summary>
    private static IEnumerable<IntegrityIssue> UnmatchedCalls(List<InspectorRecord> records)
    {
        foreach (var comm in records.Where(r => !r.IsP2p).GroupBy(r => r.CommId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int n = comm.First().NRanks;
            if (comm.Select(r => r.Rank).Distinct().Count() < n || n < 2)
            {
                continue;
            }

            var calls = comm.GroupBy(r => (r.Sn, r.Op)).ToList();
            int partial = calls.Count(c => c.Select(r => r.Rank).Distinct().Count() < n);
            if (partial > 0)
            {
                yield return new("inspector.unmatched_calls", [comm.Key], string.Create(CultureInfo.InvariantCulture,
                    $"communicator {comm.Key}: {partial} of {calls.Count} collective calls lack a record on some of its {n} ranks (dropped or cut short); stragglers use the ranks present"));
            }
        }
    }
}
