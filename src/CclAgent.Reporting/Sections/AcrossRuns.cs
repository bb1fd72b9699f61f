using CclAgent.Reporting.Rendering;
using CclAgent.Reporting.Runs;
using CclAgent.Reporting.Statistics;

namespace CclAgent.Reporting.Sections;

/// <summary>Several runs of one workload (seeds, nights): the mean of each outcome with its 95 % confidence interval.</summary>
internal static class AcrossRuns
{
    public static IEnumerable<ReportBlock> For(IReadOnlyList<LoadedRun> runs)
    {
        var groups = runs.GroupBy(r => r.Summary.Workload, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        if (groups.Count == 0)
        {
            yield break;
        }

        yield return new HeadingBlock(2, "Across runs of the same workload", "across-runs");
        yield return new TableBlock(["workload", "runs", "baseline ms", "best ms", "speedup", "oracle fraction", "trials"],
            [.. groups.Select(g => (IReadOnlyList<Cell>)[
                g.Key,
                Format.Int(g.Count()),
                Of(g, s => s.BaselineIterationMs).Format("0.00"),
                Of(g, s => s.BestIterationMs).Format("0.00"),
                Of(g, s => s.Speedup).Format("0.000"),
                g.All(r => r.Summary.OracleFraction is not null) ? Of(g, s => s.OracleFraction!.Value).Format("0.000") : "—",
                Of(g, s => s.Trials).Format("0.0")])],
            "mean ± half-width of the 95 % confidence interval (Student's t over the runs)");
        foreach (var group in groups)
        {
            yield return new PlotBlock(ConvergenceSvg.Render([.. group.Select(r => ("run …" + r.Summary.RunId[(r.Summary.RunId.LastIndexOf('-') + 1)..], r))]), $"Iteration time per step, {group.Count()} runs of {group.Key}");
        }
    }

    private static MeanInterval Of(IEnumerable<LoadedRun> runs, Func<RunSummary, double> value) => MeanInterval.Of([.. runs.Select(r => value(r.Summary))]);
}
