using CclAgent.Reporting.Rendering;
using CclAgent.Reporting.Runs;

namespace CclAgent.Reporting.Sections;

/// <summary>--compare: each run beside the baseline run, a ratio column, and only what differs.</summary>
internal static class Comparison
{
    public static IEnumerable<ReportBlock> For(IReadOnlyList<LoadedRun> runs, LoadedRun baseline)
    {
        RunSummary b = baseline.Summary;
        yield return new HeadingBlock(2, $"Compared with {b.RunId}", "compare");
        foreach (LoadedRun run in runs)
        {
            RunSummary s = run.Summary;
            (string Name, double Base, double Run)[] metrics =
            [
                ("baseline iteration ms", b.BaselineIterationMs, s.BaselineIterationMs),
                ("best (tuned) iteration ms", b.BestIterationMs, s.BestIterationMs),
                ("speedup", b.Speedup, s.Speedup),
                ("trials", b.Trials, s.Trials),
                ("failed trials", b.FailedTrials, s.FailedTrials),
                ("cluster seconds", b.ClusterSeconds, s.ClusterSeconds),
                ("oracle fraction", b.OracleFraction ?? double.NaN, s.OracleFraction ?? double.NaN),
            ];
            var rows = metrics.Where(m => !double.IsNaN(m.Base) && !double.IsNaN(m.Run) && m.Base != m.Run)
                .Select(m => (IReadOnlyList<Cell>)[m.Name, Format.Num(m.Base), Format.Num(m.Run), m.Base == 0 ? "—" : Format.Num(m.Run / m.Base, "0.0000")]).ToList();
            if (s.StopReason != b.StopReason)
            {
                rows.Add(["stop reason", b.StopReason, s.StopReason, ""]);
            }

            yield return new HeadingBlock(3, $"{s.RunId} vs {b.RunId}");
            yield return rows.Count == 0
                ? new ParagraphBlock("No outcome differs.")
                : new TableBlock(["", b.RunId, s.RunId, "ratio (run / baseline run)"], rows);
            string[] keys = [.. b.BestConfig.Keys.Union(s.BestConfig.Keys).Order(StringComparer.Ordinal)];
            var config = keys.Where(k => b.BestConfig.GetValueOrDefault(k) != s.BestConfig.GetValueOrDefault(k))
                .Select(k => (IReadOnlyList<Cell>)[k, b.BestConfig.GetValueOrDefault(k) ?? "(default)", s.BestConfig.GetValueOrDefault(k) ?? "(default)"]).ToList();
            yield return config.Count == 0
                ? new ParagraphBlock("Same best configuration.")
                : new TableBlock(["variable", b.RunId, s.RunId], config, "Best configuration, differences only");
        }
    }
}
