using System.Globalization;
using System.Text;

namespace CclAgent.Trace.Report;

/// <summary>The report for a person (also report.md under --out).</summary>
public static class TraceTextWriter
{
    private const int MaxPathElements = 10;

    public static string Render(TraceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        void Line(FormattableString s) => sb.AppendLine(s.ToString(CultureInfo.InvariantCulture));
        Line($"# Trace analysis ({report.Format})");
        Line($"inputs: {string.Join(", ", report.Inputs)}");
        Line($"integrity: {(report.Integrity.Valid ? "valid" : "INVALID")}, {report.Integrity.Issues.Count} issue(s)");
        foreach (IntegrityIssue i in report.Integrity.Issues)
        {
            Line($"- [{i.Kind}] {i.Message}");
        }

        CriticalPathSection path = report.CriticalPath;
        if (path.Ids.Count > 0 && path.Shares.Count <= MaxPathElements)
        {
            Line($"critical path ({path.DurationMs} ms): {string.Join(" -> ", path.Shares.Select(s => FormattableString.Invariant($"{s.Id} {s.Share:P0}")))}");
        }
        else if (path.Ids.Count > 0)
        {
            // A GPU job's path has thousands of elements: the kinds and the largest elements say where the time went.
            Line($"critical path ({path.DurationMs} ms, {path.Ids.Count} elements; all in --json): largest {string.Join(", ", path.Shares.OrderByDescending(s => s.DurationMs).Take(MaxPathElements).Select(s => FormattableString.Invariant($"{s.Id} {s.Share:P1}")))}");
        }

        if (path.Kinds.Count > 0)
        {
            Line($"critical path by kind: {string.Join(", ", path.Kinds.Select(k => FormattableString.Invariant($"{k.Id} {k.DurationMs} ms ({k.Share:P1})")))}");
        }

        foreach (Bottleneck b in report.Bottlenecks)
        {
            Line($"bottleneck: {b.Id} {b.DurationMs} ms vs {b.BaselineP95Ms} ms ({b.Basis}), {b.Ratio}x");
        }

        foreach (ParallelismOpportunity p in report.Parallelism)
        {
            Line($"parallel: {string.Join(" || ", p.Ids)} could save {p.SavingMs} ms");
        }

        if (report.Failures.Initiating.Count > 0)
        {
            Line($"initiating failure(s): {string.Join(", ", report.Failures.Initiating)}");
        }

        foreach (PropagatedFailure f in report.Failures.Propagated)
        {
            Line($"propagated: {f.Id} {f.Status} because of {string.Join(", ", f.Causes)}");
        }

        foreach (RetriedStep r in report.Failures.Retries)
        {
            Line($"retried: {r.Id} {r.Attempts} attempts, finally {r.FinalStatus}");
        }

        foreach (RankBreakdown b in report.Breakdown)
        {
            Line($"rank {b.Rank}: window {b.WindowUs} us, compute {b.ComputeUs}, communication {b.CommunicationUs}, memcpy {b.MemcpyUs}, idle {b.IdleUs}");
        }

        foreach (RankOverlap o in report.Overlap)
        {
            Line($"rank {o.Rank}: comm/comp overlap {o.Ratio:P1} of {o.CommunicationUs} us communication");
        }

        foreach (string pattern in report.Patterns)
        {
            Line($"pattern: {pattern}");
        }

        foreach (StragglerRow s in report.Stragglers)
        {
            Line($"straggler: rank {s.Rank} last in {s.Collectives} of {s.Matched} collectives, late by mean {s.LateUsMean} us, median {s.LateUsMedian} us");
        }

        foreach (CollectiveRow c in report.Collectives)
        {
            string kind = string.Join(" ", new[] { c.Dtype, c.Algorithm.Length + c.Protocol.Length > 0 ? $"{c.Algorithm}/{c.Protocol}" : "" }.Where(p => p.Length > 0));
            Line($"collective {c.Op} {c.Bytes} B{(kind.Length > 0 ? " " + kind : "")}: {c.Count}x mean {c.MeanUs} us p95 {c.P95Us} us algbw {c.AlgbwGbps} GB/s busbw {c.BusbwGbps} GB/s ranks {c.Ranks}");
        }

        if (report.Format is "workflow" or "events")
        {
            Line($"health: {report.Health.Score}/100 ({string.Join(", ", report.Health.Components.Select(c => FormattableString.Invariant($"{c.Name} {c.Value} x{c.Weight}")))})");
        }

        return sb.ToString();
    }
}
