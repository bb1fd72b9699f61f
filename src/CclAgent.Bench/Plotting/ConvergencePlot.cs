using CclAgent.Bench.Results;

namespace CclAgent.Bench.Plotting;

/// <summary>convergence.png: mean best-so-far / oracle versus trial, one line per strategy.</summary>
public static class ConvergencePlot
{
    public static void Save(BenchReport report, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (BenchAggregate aggregate in report.Aggregates)
        {
            double[] xs = Enumerable.Range(1, aggregate.MeanConvergence.Count).Select(i => (double)i).ToArray();
            var line = plot.Add.Scatter(xs, aggregate.MeanConvergence.ToArray());
            line.LegendText = aggregate.Strategy;
            line.MarkerSize = 3;
        }

        plot.Title($"Best-so-far / oracle vs trial ({report.Scenarios.Count} scenarios × {report.Seeds} seeds)");
        plot.XLabel("trial (job runs)");
        plot.YLabel("oracle / deployed iteration time");
        plot.Axes.SetLimitsY(Math.Max(0.5, report.Aggregates.SelectMany(a => a.MeanConvergence).DefaultIfEmpty(1).Min() - 0.02), 1.005);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 900, 560);
    }
}
