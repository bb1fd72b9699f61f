using System.Globalization;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Events;

/// <summary>
/// Folds a run's events into spans, as <c>TraceWriter</c> writes them: a span opens with an event of status
/// <c>started</c> (<c>X.start</c>, <c>tool.call</c>) and closes with its child <c>X.end</c> / <c>tool.result</c>,
/// which carries the status and <c>duration_ms</c>. Any other event is a span of its own, ending when it was written.
/// A span that never closed (the run was killed or crashed inside it) and a child outside its parent's interval are
/// integrity issues.
/// </summary>
internal static class SpanFolding
{
    /// <summary>Children may start or end this far outside their parent: timestamps and durations come from different clocks.</summary>
    private const double ToleranceMs = 1;

    public static List<RunSpan> Fold(List<RunEvent> events, List<IntegrityIssue> issues)
    {
        DateTimeOffset t0 = events.Select(e => e.Ts).FirstOrDefault(t => t is not null) ?? default;
        var closers = new Dictionary<(string Parent, string Type), RunEvent>();
        foreach (RunEvent e in events.Where(e => e.Parent is not null))
        {
            closers.TryAdd((e.Parent!, e.Type), e);
        }

        var closedBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var spans = new List<RunSpan>();
        double last = 0;
        foreach (RunEvent read in events)
        {
            RunEvent e = read;
            double at = e.Ts is DateTimeOffset ts ? (ts - t0).TotalMilliseconds : last;
            last = at;
            if (closedBy.ContainsKey(e.Id))
            {
                continue;
            }

            if (e.Parent is string up && closedBy.TryGetValue(up, out string? span))
            {
                // A child of an end event belongs to the span that end closed.
                e = e with { Parent = span };
            }

            if (e.Status == "started" && Closing(e.Type) is string closing && closers.TryGetValue((e.Id, closing), out RunEvent? end))
            {
                closedBy[end.Id] = e.Id;
                double endAt = end.Ts is DateTimeOffset te ? (te - t0).TotalMilliseconds : at + (end.DurationMs ?? 0);
                spans.Add(new RunSpan(e.Id, e.Parent, Base(e.Type), end.Status, at, endAt, end.DurationMs ?? endAt - at, e.Line) { Refs = [.. e.Refs, .. end.Refs], Actor = e.Actor });
            }
            else if (e.Status == "started")
            {
                issues.Add(new("temporal.unfinished_span", [e.Id], $"span {e.Id} ({e.Type}, line {e.Line}) never ended: the run stopped inside it"));
                spans.Add(new RunSpan(e.Id, e.Parent, Base(e.Type), "unfinished", at, at, null, e.Line) { Refs = e.Refs, Actor = e.Actor });
            }
            else
            {
                spans.Add(new RunSpan(e.Id, e.Parent, e.Type, e.Status, at - (e.DurationMs ?? 0), at, e.DurationMs, e.Line) { Refs = e.Refs, Actor = e.Actor });
            }
        }

        return Nest(spans, issues);
    }

    /// <summary>An unfinished span lasts until the last of its descendants; children outside their parent are reported.</summary>
    private static List<RunSpan> Nest(List<RunSpan> spans, List<IntegrityIssue> issues)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < spans.Count; i++)
        {
            first.TryAdd(spans[i].Id, i);
        }

        // Children follow their parent in the file, so one backward pass carries ends up through every level.
        for (int i = spans.Count - 1; i >= 0; i--)
        {
            if (spans[i].Parent is string p && first.TryGetValue(p, out int j) && spans[j].Status == "unfinished" && spans[i].EndMs > spans[j].EndMs)
            {
                spans[j] = spans[j] with { EndMs = spans[i].EndMs };
            }
        }

        foreach (RunSpan s in spans.Where(s => s.Parent is not null && first.ContainsKey(s.Parent)))
        {
            RunSpan parent = spans[first[s.Parent!]];
            if (s.StartMs < parent.StartMs - ToleranceMs || (parent.Status != "unfinished" && s.EndMs > parent.EndMs + ToleranceMs))
            {
                issues.Add(new("temporal.child_outside_parent", [s.Id, parent.Id], string.Create(CultureInfo.InvariantCulture,
                    $"{s.Id} [{s.StartMs:0.###}, {s.EndMs:0.###}] ms lies outside its parent {parent.Id} [{parent.StartMs:0.###}, {parent.EndMs:0.###}] ms")));
            }
        }

        return spans;
    }

    private static string? Closing(string type) =>
        type.EndsWith(".start", StringComparison.Ordinal) ? type[..^".start".Length] + ".end"
        : type.EndsWith(".call", StringComparison.Ordinal) ? type[..^".call".Length] + ".result"
        : null;

    private static string Base(string type) => type.EndsWith(".start", StringComparison.Ordinal) ? type[..^".start".Length] : type;
}
