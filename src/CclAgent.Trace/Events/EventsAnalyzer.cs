using CclAgent.Core.Statistics;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Events;

/// <summary>
/// Analyses of a ccl-agent run's events, folded into spans (<see cref="SpanFolding"/>): the parent tree and the
/// data-flow links of shared <c>refs</c> as the graph, the last-arrival critical path through the nested spans
/// (<see cref="SpanCriticalPath"/>), spans at least twice their type's median as bottlenecks, and failed spans split
/// into the initiating ones and those under a failed ancestor.
/// </summary>
internal static class EventsAnalyzer
{
    private static readonly HashSet<string> FailedStatuses = new(StringComparer.OrdinalIgnoreCase) { "failed", "error", "timeout" };

    public static TraceReport Analyze(List<RunEvent> events, string? truncatedAt, IReadOnlyList<string> inputs)
    {
        var ids = new HashSet<string>(events.Count, StringComparer.Ordinal);
        var issues = new List<IntegrityIssue>();
        foreach (RunEvent e in events.Where(e => !ids.Add(e.Id)))
        {
            issues.Add(new("data_flow.duplicate_id", [e.Id], $"event {e.Id} appears again at line {e.Line}"));
        }

        if (truncatedAt is not null)
        {
            issues.Add(new("temporal.truncated", [inputs[0]], $"{inputs[0]} breaks off {truncatedAt}; analysed up to there"));
        }

        foreach (RunEvent e in events.Where(e => e.Parent is not null && !ids.Contains(e.Parent)))
        {
            issues.Add(new("dependency.missing", [e.Id, e.Parent!], $"event {e.Id} names parent {e.Parent}, which is not in the trace"));
        }

        List<RunSpan> spans = SpanFolding.Fold(events, issues);
        var byId = new Dictionary<string, RunSpan>(StringComparer.Ordinal);
        foreach (RunSpan s in spans)
        {
            byId.TryAdd(s.Id, s);
        }

        List<Bottleneck> bottlenecks = Bottlenecks(spans);
        return new TraceReport
        {
            Inputs = inputs,
            Format = "events",
            Integrity = new IntegritySection { Valid = issues.Count == 0, Issues = issues },
            Graph = new GraphSection { Nodes = spans.Select(s => s.Id).ToList(), Edges = Edges(spans, byId) },
            CriticalPath = SpanCriticalPath.Find(spans, byId),
            Bottlenecks = bottlenecks,
            Failures = Failures(spans, byId),
            Health = Health(spans, bottlenecks, issues),
        };
    }

    /// <summary>
    /// docs/trace.md "Health (events)": completion = spans that neither failed nor were left unfinished; performance =
    /// 1 − bottlenecks / timed spans; integrity = 1 − min(1, issues / spans); weighted 0.50/0.30/0.20.
    /// </summary>
    private static HealthSection Health(List<RunSpan> spans, List<Bottleneck> bottlenecks, List<IntegrityIssue> issues)
    {
        if (spans.Count == 0)
        {
            return new HealthSection { Score = 0 };
        }

        int timed = spans.Count(s => s.DurationMs is > 0);
        double completion = 1 - ((double)spans.Count(s => FailedStatuses.Contains(s.Status) || s.Status == "unfinished") / spans.Count);
        double performance = timed == 0 ? 1 : 1 - ((double)bottlenecks.Count / timed);
        double integrity = 1 - Math.Min(1, (double)issues.Count / spans.Count);
        var components = new List<HealthComponent>
        {
            new("completion", Math.Round(completion, 4), 0.50),
            new("performance", Math.Round(performance, 4), 0.30),
            new("integrity", Math.Round(integrity, 4), 0.20),
        };
        double score = 100 * components.Sum(c => c.Value * c.Weight);
        return new HealthSection { Score = (int)Math.Round(score, MidpointRounding.AwayFromZero), Components = components };
    }

    /// <summary>
    /// Parent → child for each span under a known parent, then data flow: the first span naming an evidence ref
    /// (a tool result, a metric, an LLM call) produced it, and every later span naming it consumed it.
    /// </summary>
    private static List<GraphEdge> Edges(List<RunSpan> spans, Dictionary<string, RunSpan> byId)
    {
        var edges = spans.Where(s => s.Parent is not null && byId.ContainsKey(s.Parent)).Select(s => new GraphEdge(s.Parent!, s.Id)).ToList();
        var seen = new HashSet<GraphEdge>(edges);
        var producer = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RunSpan s in spans)
        {
            foreach (string r in s.Refs.Count > 1 ? s.Refs.Distinct(StringComparer.Ordinal) : s.Refs)
            {
                if (!producer.TryAdd(r, s.Id) && producer[r] != s.Id && seen.Add(new GraphEdge(producer[r], s.Id)))
                {
                    edges.Add(new GraphEdge(producer[r], s.Id));
                }
            }
        }

        return edges;
    }

    /// <summary>
    /// Without baselines, a span is slow against its own kind in this run: ≥ 2× the median of its type and actor when
    /// that group has 3+ timed spans (a memory lookup and a microbenchmark are both <c>tool.call</c>, but not comparable
    /// work), else of its type alone when that has 3+.
    /// </summary>
    private static List<Bottleneck> Bottlenecks(List<RunSpan> spans)
    {
        var timed = spans.Where(s => s.DurationMs is > 0).ToList();
        var byActor = timed.GroupBy(s => (s.Type, s.Actor)).Where(g => g.Count() >= 3).ToDictionary(g => g.Key, g => Median(g));
        var byType = timed.GroupBy(s => s.Type).Where(g => g.Count() >= 3).ToDictionary(g => g.Key, g => Median(g), StringComparer.Ordinal);
        var result = new List<Bottleneck>();
        foreach (RunSpan s in timed)
        {
            (double median, string basis) = byActor.TryGetValue((s.Type, s.Actor), out double m) ? (m, "type_actor_median")
                : byType.TryGetValue(s.Type, out double t) ? (t, "type_median") : (0, "");
            if (median > 0 && s.DurationMs >= 2 * median)
            {
                result.Add(new Bottleneck(s.Id, s.DurationMs!.Value, median, Math.Round(s.DurationMs!.Value / median, 3), basis));
            }
        }

        return result.OrderByDescending(b => b.Ratio).ToList();
    }

    private static double Median(IEnumerable<RunSpan> spans) => Quantiles.MedianOfSorted(spans.Select(s => s.DurationMs!.Value).Order().ToArray());

    /// <summary>A failed span under a failed ancestor failed because of it; one without is where a failure started.</summary>
    private static FailureSection Failures(List<RunSpan> spans, Dictionary<string, RunSpan> byId)
    {
        var initiating = new List<string>();
        var propagated = new List<PropagatedFailure>();
        foreach (RunSpan s in spans.Where(s => FailedStatuses.Contains(s.Status)))
        {
            if (FailedAncestor(s, byId) is string cause)
            {
                propagated.Add(new(s.Id, s.Status, [cause]));
            }
            else
            {
                initiating.Add(s.Id);
            }
        }

        return new FailureSection { Initiating = initiating, Propagated = propagated };
    }

    private static string? FailedAncestor(RunSpan s, Dictionary<string, RunSpan> byId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { s.Id };
        for (RunSpan? a = s.Parent is string p ? byId.GetValueOrDefault(p) : null; a is not null && seen.Add(a.Id); a = a.Parent is string q ? byId.GetValueOrDefault(q) : null)
        {
            if (FailedStatuses.Contains(a.Status))
            {
                return a.Id;
            }
        }

        return null;
    }
}
