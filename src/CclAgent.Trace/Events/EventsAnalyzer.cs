using CclAgent.Core.Statistics;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Events;

/// <summary>
/// Analyses of a ccl-agent run's events: the parent tree as the graph, its heaviest root-to-leaf chain by
/// <c>duration_ms</c> as the critical path, events of a type at least twice that type's median as bottlenecks,
/// and failed events split into the initiating ones and those under a failed ancestor.
/// </summary>
internal static class EventsAnalyzer
{
    private static readonly HashSet<string> FailedStatuses = new(StringComparer.OrdinalIgnoreCase) { "failed", "error", "timeout" };

    public static TraceReport Analyze(List<RunEvent> events, string? truncatedAt, IReadOnlyList<string> inputs)
    {
        var byId = new Dictionary<string, RunEvent>(events.Count, StringComparer.Ordinal);
        var issues = new List<IntegrityIssue>();
        foreach (RunEvent e in events)
        {
            if (!byId.TryAdd(e.Id, e))
            {
                issues.Add(new("data_flow.duplicate_id", [e.Id], $"event {e.Id} appears again at line {e.Line}"));
            }
        }

        if (truncatedAt is not null)
        {
            issues.Add(new("temporal.truncated", [inputs[0]], $"{inputs[0]} breaks off {truncatedAt}; analysed up to there"));
        }

        var edges = new List<GraphEdge>();
        foreach (RunEvent e in events.Where(e => e.Parent is not null))
        {
            if (byId.ContainsKey(e.Parent!))
            {
                edges.Add(new(e.Parent!, e.Id));
            }
            else
            {
                issues.Add(new("dependency.missing", [e.Id, e.Parent!], $"event {e.Id} names parent {e.Parent}, which is not in the trace"));
            }
        }

        return new TraceReport
        {
            Inputs = inputs,
            Format = "events",
            Integrity = new IntegritySection { Valid = issues.Count == 0, Issues = issues },
            Graph = new GraphSection { Nodes = events.Select(e => e.Id).ToList(), Edges = edges },
            CriticalPath = CriticalPath(events, byId),
            Bottlenecks = Bottlenecks(events),
            Failures = Failures(events, byId),
        };
    }

    /// <summary>Heaviest root-to-leaf chain: children come after their parent in the file, so one backward pass sums subtrees.</summary>
    private static CriticalPathSection CriticalPath(List<RunEvent> events, Dictionary<string, RunEvent> byId)
    {
        var best = new Dictionary<string, (double Weight, string? Child)>(StringComparer.Ordinal);
        for (int i = events.Count - 1; i >= 0; i--)
        {
            RunEvent e = events[i];
            (double weight, string? child) = best.GetValueOrDefault(e.Id);
            double total = weight + (e.DurationMs ?? 0);
            best[e.Id] = (total, child);
            if (e.Parent is string p && byId.ContainsKey(p) && (!best.TryGetValue(p, out var current) || total > current.Weight))
            {
                best[p] = (total, e.Id);
            }
        }

        var root = events.Where(e => e.Parent is null || !byId.ContainsKey(e.Parent)).OrderByDescending(e => best[e.Id].Weight).FirstOrDefault();
        if (root is null || best[root.Id].Weight <= 0)
        {
            return new CriticalPathSection();
        }

        var ids = new List<string>();
        for (string? id = root.Id; id is not null; id = best[id].Child)
        {
            ids.Add(id);
        }

        double length = best[root.Id].Weight;
        return new CriticalPathSection
        {
            Ids = ids,
            DurationMs = Math.Round(length, 3),
            Shares = ids.Select(i => new PathShare(i, byId[i].DurationMs ?? 0, Math.Round((byId[i].DurationMs ?? 0) / length, 4))).ToList(),
        };
    }

    /// <summary>Without baselines, an event is slow against its own type in this run: ≥ 2× the median of a type with 3+ timed events.</summary>
    private static List<Bottleneck> Bottlenecks(List<RunEvent> events)
    {
        var result = new List<Bottleneck>();
        foreach (var g in events.Where(e => e.DurationMs is > 0).GroupBy(e => e.Type).Where(g => g.Count() >= 3))
        {
            double median = Quantiles.MedianOfSorted(g.Select(e => e.DurationMs!.Value).Order().ToArray());
            result.AddRange(g.Where(e => e.DurationMs >= 2 * median)
                .Select(e => new Bottleneck(e.Id, e.DurationMs!.Value, median, Math.Round(e.DurationMs!.Value / median, 3), "type_median")));
        }

        return result.OrderByDescending(b => b.Ratio).ToList();
    }

    /// <summary>A failed event under a failed ancestor failed because of it; one without is where a failure started.</summary>
    private static FailureSection Failures(List<RunEvent> events, Dictionary<string, RunEvent> byId)
    {
        var initiating = new List<string>();
        var propagated = new List<PropagatedFailure>();
        foreach (RunEvent e in events.Where(e => FailedStatuses.Contains(e.Status)))
        {
            string? cause = FailedAncestor(e, byId);
            if (cause is null)
            {
                initiating.Add(e.Id);
            }
            else
            {
                propagated.Add(new(e.Id, e.Status, [cause]));
            }
        }

        return new FailureSection { Initiating = initiating, Propagated = propagated };
    }

    private static string? FailedAncestor(RunEvent e, Dictionary<string, RunEvent> byId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { e.Id };
        for (RunEvent? a = e.Parent is string p ? byId.GetValueOrDefault(p) : null; a is not null && seen.Add(a.Id); a = a.Parent is string q ? byId.GetValueOrDefault(q) : null)
        {
            if (FailedStatuses.Contains(a.Status))
            {
                return a.Id;
            }
        }

        return null;
    }
}
