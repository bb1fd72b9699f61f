using System.Globalization;
using CclAgent.Trace.Graph;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Workflow;

/// <summary>Every analysis of docs/trace.md over one workflow execution.</summary>
internal static class WorkflowAnalyzer
{
    /// <summary>Bottleneck without baselines: at least this many times the median of its step type (types of 3+ steps).</summary>
    public const double SelfRatio = 2.0;

    public static TraceReport Analyze(WorkflowExecution x, IReadOnlyList<string> inputs)
    {
        Dictionary<string, StepRun> runs = x.Attempts.GroupBy(a => a.StepId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new StepRun(g.Key, g.First().StepType, g.OrderBy(a => a.Start).ToList()), StringComparer.Ordinal);
        var dag = new Dag();
        foreach (string id in x.Definition.Keys.Concat(runs.Keys))
        {
            dag.AddNode(id);
        }

        var issues = new List<IntegrityIssue>();
        foreach (StepDefinition d in x.Definition.Values)
        {
            foreach (string dep in d.Dependencies)
            {
                if (!x.Definition.ContainsKey(dep))
                {
                    issues.Add(new("dependency.missing", [d.Id, dep], $"step {d.Id} depends on {dep}, which the definition does not declare"));
                }

                dag.AddEdge(dep, d.Id);
            }
        }

        (List<string> order, List<string> cyclic) = dag.TopologicalOrder();
        if (cyclic.Count > 0)
        {
            issues.Add(new("dependency.cycle", cyclic, $"steps {string.Join(", ", cyclic)} are on or behind a dependency cycle"));
        }

        issues.AddRange(WorkflowIntegrity.Check(x, runs, dag));
        List<Bottleneck> bottlenecks = Bottlenecks(x, runs);
        FailureSection failures = Failures(runs, dag);
        var weights = runs.Values.ToDictionary(r => r.Id, r => r.ElapsedMs, StringComparer.Ordinal);
        (List<string> path, double length) = dag.HeaviestPath(weights, order.Where(runs.ContainsKey).ToList());
        return new TraceReport
        {
            Inputs = inputs,
            Format = "workflow",
            Integrity = new IntegritySection { Valid = !issues.Any(i => IsStructural(i.Kind)), Issues = issues },
            Graph = new GraphSection { Nodes = dag.Nodes, Edges = x.Definition.Values.SelectMany(d => d.Dependencies.Select(p => new GraphEdge(p, d.Id))).ToList() },
            CriticalPath = new CriticalPathSection
            {
                Ids = path,
                DurationMs = Round(length),
                Shares = path.Select(id => new PathShare(id, Round(weights[id]), length > 0 ? Math.Round(weights[id] / length, 4) : 0)).ToList(),
            },
            Bottlenecks = bottlenecks,
            Parallelism = Parallelism(x, runs, dag),
            Failures = failures,
            Health = Health(runs, dag, issues, bottlenecks, x.Attempts.Count),
        };
    }

    /// <summary>Structural problems make the trace invalid; baseline and resource findings are observations about a valid trace.</summary>
    private static bool IsStructural(string kind) =>
        kind.StartsWith("temporal.", StringComparison.Ordinal) || kind.StartsWith("dependency.", StringComparison.Ordinal) || kind.StartsWith("data_flow.", StringComparison.Ordinal);

    private static double Round(double ms) => Math.Round(ms, 3);

    private static List<Bottleneck> Bottlenecks(WorkflowExecution x, Dictionary<string, StepRun> runs)
    {
        var result = new List<Bottleneck>();
        if (x.Baselines.Count > 0)
        {
            foreach (StepRun r in runs.Values)
            {
                double d = r.Final.DurationMs;
                if (x.Baselines.TryGetValue(r.Id, out StepBaseline? b) && b.DurationP95Ms is double p95 && p95 > 0 && d > p95)
                {
                    result.Add(new(r.Id, Round(d), p95, Math.Round(d / p95, 3), "baseline_p95"));
                }
            }
        }
        else
        {
            foreach (IGrouping<string, StepRun> type in runs.Values.GroupBy(r => r.Type, StringComparer.Ordinal).Where(g => g.Count() >= 3))
            {
                double median = Median(type.Select(r => r.Final.DurationMs).ToList());
                foreach (StepRun r in type.Where(r => median > 0 && r.Final.DurationMs >= SelfRatio * median))
                {
                    result.Add(new(r.Id, Round(r.Final.DurationMs), Round(median), Math.Round(r.Final.DurationMs / median, 3), "type_median"));
                }
            }
        }

        return result.OrderByDescending(b => b.Ratio).ToList();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    /// <summary>Pairs of succeeded steps with no dependency path either way whose windows did not overlap: overlapping them saves the shorter one.</summary>
    private static List<ParallelismOpportunity> Parallelism(WorkflowExecution x, Dictionary<string, StepRun> runs, Dag dag)
    {
        if (x.Definition.Count == 0)
        {
            return [];
        }

        var done = runs.Values.Where(r => r.Succeeded && x.Definition.ContainsKey(r.Id)).OrderBy(r => r.Start).ToList();
        var result = new List<ParallelismOpportunity>();
        for (int i = 0; i < done.Count; i++)
        {
            for (int j = i + 1; j < done.Count; j++)
            {
                StepRun a = done[i], b = done[j];
                bool serial = a.End <= b.Start || b.End <= a.Start;
                if (serial && !dag.Reaches(a.Id, b.Id) && !dag.Reaches(b.Id, a.Id))
                {
                    result.Add(new([a.Id, b.Id], Round(Math.Min(a.ElapsedMs, b.ElapsedMs))));
                }
            }
        }

        return result.OrderByDescending(p => p.SavingMs).Take(10).ToList();
    }

    private static FailureSection Failures(Dictionary<string, StepRun> runs, Dag dag)
    {
        IEnumerable<string> Upstream(StepRun r) => dag.Predecessors(r.Id).Concat(r.Attempts.SelectMany(a => a.DependenciesFailed)).Distinct(StringComparer.Ordinal);
        bool Bad(string id) => runs.TryGetValue(id, out StepRun? r) && (r.Failed || r.Skipped);
        var initiating = runs.Values.Where(r => r.Failed && !Upstream(r).Any(Bad)).OrderBy(r => r.Start).Select(r => r.Id).ToList();
        var propagated = new List<PropagatedFailure>();
        foreach (StepRun r in runs.Values.Where(r => (r.Failed || r.Skipped) && Upstream(r).Any(Bad)).OrderBy(r => r.Start))
        {
            // Walk up through failed/skipped ancestors to the failures that started it.
            var causes = new SortedSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(Upstream(r).Where(Bad));
            while (stack.Count > 0)
            {
                string id = stack.Pop();
                if (!seen.Add(id))
                {
                    continue;
                }

                if (initiating.Contains(id))
                {
                    causes.Add(id);
                }

                foreach (string up in Upstream(runs[id]).Where(Bad))
                {
                    stack.Push(up);
                }
            }

            propagated.Add(new(r.Id, r.Final.Status.ToLowerInvariant(), causes.ToList()));
        }

        var retries = runs.Values.Where(r => r.Attempts.Count > 1).OrderBy(r => r.Start)
            .Select(r => new RetriedStep(r.Id, r.Attempts.Count, r.Final.Status.ToLowerInvariant())).ToList();
        return new FailureSection { Initiating = initiating, Propagated = propagated, Retries = retries };
    }

    /// <summary>docs/trace.md "Health score": four components in [0, 1], weighted 0.40/0.25/0.20/0.15.</summary>
    private static HealthSection Health(Dictionary<string, StepRun> runs, Dag dag, List<IntegrityIssue> issues, List<Bottleneck> bottlenecks, int attempts)
    {
        int steps = Math.Max(1, dag.Nodes.Count);
        double completion = (double)runs.Values.Count(r => r.Succeeded) / steps;
        double performance = runs.Count == 0 ? 1 : 1 - ((double)bottlenecks.Count / runs.Count);
        int structural = issues.Count(i => !i.Kind.StartsWith("baseline.", StringComparison.Ordinal));
        double integrity = 1 - Math.Min(1, (double)structural / steps);
        double firstTry = attempts == 0 ? 1 : 1 - ((double)(attempts - runs.Count) / attempts);
        var components = new List<HealthComponent>
        {
            new("completion", Math.Round(completion, 4), 0.40),
            new("performance", Math.Round(performance, 4), 0.25),
            new("integrity", Math.Round(integrity, 4), 0.20),
            new("first_try", Math.Round(firstTry, 4), 0.15),
        };
        double score = 100 * components.Sum(c => c.Value * c.Weight);
        return new HealthSection { Score = (int)Math.Round(score, MidpointRounding.AwayFromZero), Components = components };
    }

    internal static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture);
}
