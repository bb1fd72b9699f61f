namespace CclAgent.Reporting.Rendering;

/// <summary>One search step on the convergence plot: its measured median (null when it failed) and the incumbent after it.</summary>
internal readonly record struct ConvergencePoint(int Step, double? MeasuredMs, double IncumbentMs)
{
    /// <summary>The incumbent moves on the baseline and on every accepted trial, as the loop decided, not on the raw minimum.</summary>
    public static IReadOnlyList<ConvergencePoint> Of(Runs.LoadedRun run)
    {
        var points = new List<ConvergencePoint>();
        double incumbent = run.Summary.BaselineIterationMs;
        foreach (Runs.StepFile step in run.SearchSteps)
        {
            bool ok = step.Status == "ok" && step.Metrics.IterationMsMedian > 0;
            if (ok && step.Decision?.Decision is "baseline" or "accept")
            {
                incumbent = step.Metrics.IterationMsMedian;
            }

            points.Add(new ConvergencePoint(step.Step, ok ? step.Metrics.IterationMsMedian : null, incumbent));
        }

        return points;
    }
}
