using CclAgent.Trace.Report;

namespace CclAgent.Trace.Events;

/// <summary>
/// The critical path through a run's nested spans, by last arrival: walking back from the end of a window (the run,
/// or a span), the child that ended last is what the window waited for; inside it the same rule applies, and before
/// its start the child that ended last before that, and so on. Time inside a span not covered by the chosen children
/// is the span's own; time between top-level spans is <c>idle</c>. Children that ran in parallel with the chosen
/// one are off the path. Shares are each span's own time on the path; <c>kinds</c> split the length by span type.
/// </summary>
internal static class SpanCriticalPath
{
    private const int MaxDepth = 256;

    public static CriticalPathSection Find(List<RunSpan> spans, Dictionary<string, RunSpan> byId)
    {
        if (spans.Count == 0)
        {
            return new CriticalPathSection();
        }

        var children = spans.Where(s => s.Parent is not null && byId.ContainsKey(s.Parent))
            .GroupBy(s => s.Parent!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.EndMs).ToList(), StringComparer.Ordinal);
        var roots = spans.Where(s => s.Parent is null || !byId.ContainsKey(s.Parent)).OrderBy(s => s.EndMs).ToList();
        double start = roots.Min(s => s.StartMs), end = roots.Max(s => s.EndMs);
        var segments = new List<(double From, double To, RunSpan? Owner)>();
        Walk(roots, start, end, null, children, segments, 0);
        segments.Reverse();
        return Summarise(segments.Where(s => s.To > s.From).ToList(), end - start);
    }

    private static void Walk(List<RunSpan> siblings, double from, double to, RunSpan? owner,
        Dictionary<string, List<RunSpan>> children, List<(double, double, RunSpan?)> segments, int depth)
    {
        double t = to;
        int i = siblings.Count - 1;
        while (true)
        {
            while (i >= 0 && (siblings[i].EndMs > t || siblings[i].StartMs < from))
            {
                i--;
            }

            if (i < 0 || depth >= MaxDepth)
            {
                segments.Add((from, t, owner));
                return;
            }

            RunSpan next = siblings[i--];
            segments.Add((next.EndMs, t, owner));
            Walk(children.GetValueOrDefault(next.Id) ?? [], next.StartMs, next.EndMs, next, children, segments, depth + 1);
            t = next.StartMs;
        }
    }

    private static CriticalPathSection Summarise(List<(double From, double To, RunSpan? Owner)> segments, double length)
    {
        var ids = new List<string>();
        var own = new Dictionary<string, double>(StringComparer.Ordinal);
        var kinds = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach ((double from, double to, RunSpan? owner) in segments)
        {
            kinds[owner?.Type ?? "idle"] = kinds.GetValueOrDefault(owner?.Type ?? "idle") + (to - from);
            if (owner is null)
            {
                continue;
            }

            if (ids.Count == 0 || ids[^1] != owner.Id)
            {
                ids.Add(owner.Id);
            }

            own[owner.Id] = own.GetValueOrDefault(owner.Id) + (to - from);
        }

        PathShare Share(string id, double ms) => new(id, Math.Round(ms, 3), length > 0 ? Math.Round(ms / length, 4) : 0);
        return new CriticalPathSection
        {
            Ids = ids,
            DurationMs = Math.Round(length, 3),
            Shares = own.Select(kv => Share(kv.Key, kv.Value)).ToList(),
            Kinds = kinds.Select(kv => Share(kv.Key, kv.Value)).ToList(),
        };
    }
}
