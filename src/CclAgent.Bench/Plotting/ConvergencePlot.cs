using CclAgent.Bench.Results;

namespace CclAgent.Bench.Plotting;

/// <summary>convergence.png: mean best-so-far / oracle versus trial; convergence_cluster_time.png: the same versus cluster seconds charged.</summary>
public static class ConvergencePlot
{
    public static void Save(BenchReport report, string path) =>
        Render(report, path, a => Enumerable.Range(1, a.MeanConvergence.Count).Select(i => (double)i).ToArray(),
            $"Best-so-far / oracle vs trial ({report.Scenarios.Count} scenarios × {report.Seeds} seeds)", "trial (job runs)");

    /// <summary>
    /// Trials are not equally priced (a restart against a few in-job iterations, microbenchmarks before the first), so
    /// the x axis is the mean cluster seconds charged up to each trial.
    /// </summary>
    public static void SaveClusterTime(BenchReport report, string path) =>
        Render(report, path, a => a.MeanClusterSeconds.ToArray(),
            $"Best-so-far / oracle vs cluster time ({report.Scenarios.Count} scenarios × {report.Seeds} seeds)", "cluster seconds charged (mean; microbenchmark and job starts included)");

    private static void Render(BenchReport report, string path, Func<BenchAggregate, double[]> x, string title, string xLabel)
    {
        var plot = new ScottPlot.Plot();
        foreach (BenchAggregate aggregate in report.Aggregates)
        {
            double[] xs = x(aggregate);
            if (xs.Length != aggregate.MeanConvergence.Count)
            {
                continue;
            }

            var line = plot.Add.Scatter(xs, aggregate.MeanConvergence.ToArray());
            line.LegendText = aggregate.Strategy;
            line.MarkerSize = 3;
        }

        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("oracle / deployed iteration time");
        plot.Axes.SetLimitsY(Math.Max(0.5, report.Aggregates.SelectMany(a => a.MeanConvergence).DefaultIfEmpty(1).Min() - 0.02), 1.005);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 900, 560);
    }
}
