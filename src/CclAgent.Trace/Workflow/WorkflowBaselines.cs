using CclAgent.Core.Statistics;

namespace CclAgent.Trace.Workflow;

/// <summary>
/// Step baselines derived from earlier executions of a workflow (<c>--baseline DIR</c>): per step, the p50 and p95 of
/// the final attempt's duration over the runs where it succeeded (linear interpolation between order statistics), and
/// the share of runs in which it succeeded. A step never seen succeeding has no duration baseline.
/// </summary>
internal static class WorkflowBaselines
{
    public static Dictionary<string, StepBaseline> FromRuns(IReadOnlyList<WorkflowExecution> runs)
    {
        var result = new Dictionary<string, StepBaseline>(StringComparer.Ordinal);
        var finals = runs.SelectMany(run => run.Attempts.GroupBy(a => a.StepId, StringComparer.Ordinal).Select(g => g.Last()));
        foreach (var step in finals.GroupBy(a => a.StepId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            double[] ok = step.Where(a => WorkflowStatus.IsSuccess(a.Status)).Select(a => a.DurationMs).Order().ToArray();
            double rate = Math.Round((double)ok.Length / step.Count(), 4);
            result[step.Key] = ok.Length == 0
                ? new StepBaseline(null, null, rate)
                : new StepBaseline(Math.Round(Quantiles.OfSorted(ok, 0.5), 3), Math.Round(Quantiles.OfSorted(ok, 0.95), 3), rate);
        }

        return result;
    }
}
