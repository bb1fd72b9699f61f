using System.Globalization;
using System.Text;

namespace CclAgent.Bench.Results;

/// <summary>results.md: the aggregate table first, then one row per strategy × scenario (mean over seeds).</summary>
public static class ResultsMarkdown
{
    public static string Render(BenchReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# ccl-agent bench\n\nBudget {report.Budget} trials (job runs), {report.Seeds} seeds, {report.Scenarios.Count} scenarios, {report.ElapsedSeconds:0.0} s.\n\n");
        md.Append(c, $"Command: `{report.Command}`\n\n");
        md.Append("Oracle fraction = oracle iteration time / true iteration time of the configuration the strategy would deploy after k trials (1.0 is optimal).\n\n");
        string[] ks = report.Aggregates.Count > 0 ? report.Aggregates[0].MeanOracleFractionAt.Keys.ToArray() : [];
        md.Append("| strategy | ").Append(string.Join(" | ", ks.Select(k => $"@{k}"))).Append(" | median trials to 2% | hazardous applied | risky applied | speedup vs default | microbench runs |\n");
        md.Append("|---|").Append(string.Concat(ks.Select(_ => "---|"))).Append("---|---|---|---|---|\n");
        foreach (BenchAggregate a in report.Aggregates)
        {
            md.Append(c, $"| {a.Strategy} | ").Append(string.Join(" | ", ks.Select(k => a.MeanOracleFractionAt[k].ToString("0.0000", c))))
              .Append(c, $" | {a.MedianTrialsTo2pct:0.#} | {a.HazardousApplied} | {a.RiskyApplied} | {a.MeanSpeedupVsDefault:0.000} | {a.MeanMicrobenchmarkRuns:0} |\n");
        }

        md.Append("\n## Scenarios\n\n| scenario | NCCL default ms | oracle ms | default gap | space | oracle time |\n|---|---|---|---|---|---|\n");
        foreach (ScenarioOracle s in report.Scenarios)
        {
            md.Append(c, $"| {s.Scenario} | {s.DefaultIterationMs:0.00} | {s.OracleIterationMs:0.00} | {s.DefaultIterationMs / s.OracleIterationMs:0.000} | {s.SpaceSize} | {s.ElapsedMs:0} ms |\n");
        }

        md.Append("\n## Per scenario (mean over seeds)\n\n| strategy | scenario | ").Append(string.Join(" | ", ks.Select(k => $"@{k}"))).Append(" | trials to 2% | hazardous |\n|---|---|")
          .Append(string.Concat(ks.Select(_ => "---|"))).Append("---|---|\n");
        foreach (var group in report.Results.GroupBy(r => (r.Strategy, r.Scenario)))
        {
            md.Append(c, $"| {group.Key.Strategy} | {group.Key.Scenario} | ")
              .Append(string.Join(" | ", ks.Select(k => group.Average(r => r.OracleFractionAt[k]).ToString("0.0000", c))))
              .Append(c, $" | {group.Average(r => r.TrialsTo2pct):0.0} | {group.Sum(r => r.HazardousApplied)} |\n");
        }

        return md.ToString();
    }
}
