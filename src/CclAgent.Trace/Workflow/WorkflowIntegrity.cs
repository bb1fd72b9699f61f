using CclAgent.Trace.Graph;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Workflow;

/// <summary>The temporal, dependency, data-flow, resource and baseline checks of one execution.</summary>
internal static class WorkflowIntegrity
{
    public static IEnumerable<IntegrityIssue> Check(WorkflowExecution x, Dictionary<string, StepRun> runs, Dag dag)
    {
        foreach (StepAttempt a in x.Attempts)
        {
            if (a.End < a.Start)
            {
                yield return new("temporal.end_before_start", [a.TraceId], $"trace {a.TraceId} (step {a.StepId}) ends before it starts");
            }

            if ((x.Start is { } s && a.Start < s) || (x.End is { } e && a.End > e))
            {
                yield return new("temporal.outside_execution", [a.TraceId], $"trace {a.TraceId} (step {a.StepId}) lies outside the execution's start/end");
            }
        }

        foreach (StepRun r in runs.Values)
        {
            if (x.Definition.Count > 0 && !x.Definition.ContainsKey(r.Id))
            {
                yield return new("dependency.undeclared_step", [r.Id], $"step {r.Id} ran but the definition does not declare it");
            }

            foreach (string dep in dag.Predecessors(r.Id))
            {
                if (runs.TryGetValue(dep, out StepRun? d) && !r.Skipped && r.Start < d.End)
                {
                    yield return new("dependency.started_early", [r.Id, dep], $"step {r.Id} started {WorkflowAnalyzer.Ms((d.End - r.Start).TotalMilliseconds)} ms before its dependency {dep} finished");
                }
            }
        }

        foreach (IntegrityIssue i in DataFlow(x, runs, dag).Concat(Resources(x, runs)).Concat(Baselines(x, runs)))
        {
            yield return i;
        }
    }

    /// <summary>Keys of input_data are what a step consumes, keys of output_data what it produces (docs/trace.md).</summary>
    private static IEnumerable<IntegrityIssue> DataFlow(WorkflowExecution x, Dictionary<string, StepRun> runs, Dag dag)
    {
        foreach (StepAttempt a in x.Attempts.Where(a => !WorkflowStatus.IsSkipped(a.Status) && runs.ContainsKey(a.StepId) && dag.Predecessors(a.StepId).Count > 0))
        {
            foreach (string input in a.Inputs.Where(k => !x.Attempts.Any(p => p.End <= a.Start && p.Outputs.Contains(k))))
            {
                yield return new("data_flow.unproduced_input", [a.StepId, input], $"step {a.StepId} consumed {input}, which no earlier step produced");
            }
        }

        var consumed = x.Attempts.SelectMany(a => a.Inputs).ToHashSet(StringComparer.Ordinal);
        foreach (StepRun r in runs.Values.Where(r => r.Succeeded && x.Definition.Values.Any(d => d.Dependencies.Contains(r.Id))))
        {
            foreach (string output in r.Final.Outputs.Where(o => !consumed.Contains(o)))
            {
                yield return new("data_flow.unconsumed_output", [r.Id, output], $"step {r.Id} produced {output}, which no step consumed");
            }
        }
    }

    private static IEnumerable<IntegrityIssue> Resources(WorkflowExecution x, Dictionary<string, StepRun> runs)
    {
        foreach (StepRun r in runs.Values)
        {
            if (!x.Definition.TryGetValue(r.Id, out StepDefinition? d))
            {
                continue;
            }

            foreach ((string key, double limit) in d.Requirements)
            {
                double peak = r.Attempts.Max(a => a.Resources.GetValueOrDefault(key));
                if (peak > limit)
                {
                    yield return new("resources.over_requirement", [r.Id, key], $"step {r.Id} used {key} = {WorkflowAnalyzer.Ms(peak)}, above its declared {WorkflowAnalyzer.Ms(limit)}");
                }
            }
        }
    }

    private static IEnumerable<IntegrityIssue> Baselines(WorkflowExecution x, Dictionary<string, StepRun> runs)
    {
        foreach (StepRun r in runs.Values)
        {
            if (!x.Baselines.TryGetValue(r.Id, out StepBaseline? b))
            {
                continue;
            }

            if (b.DurationP95Ms is double p95 && r.Final.DurationMs > p95)
            {
                yield return new("baseline.duration_above_p95", [r.Id], $"step {r.Id} took {WorkflowAnalyzer.Ms(r.Final.DurationMs)} ms, above its baseline p95 of {WorkflowAnalyzer.Ms(p95)} ms");
            }

            if (r.Skipped)
            {
                continue;
            }

            double rate = (double)r.Attempts.Count(a => WorkflowStatus.IsSuccess(a.Status)) / r.Attempts.Count;
            if (b.SuccessRate is double expected && rate < expected)
            {
                yield return new("baseline.success_rate", [r.Id], $"step {r.Id} succeeded in {r.Attempts.Count(a => WorkflowStatus.IsSuccess(a.Status))} of {r.Attempts.Count} attempts, below its baseline success rate of {expected}");
            }
        }
    }
}
