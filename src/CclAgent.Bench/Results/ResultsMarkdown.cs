using System.Globalization;
using System.Text;

namespace CclAgent.Bench.Results;

/// <summary>results.md: the aggregate table first, then the cost models, the scenarios, and one row per strategy × scenario (mean over seeds).</summary>
public static class ResultsMarkdown
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        md.Append(C, $"# ccl-agent bench\n\nBudget {report.Budget} trials (job runs), {report.Seeds} seeds, {report.Scenarios.Count} scenarios, {report.ElapsedSeconds:0.0} s.\n\n");
        md.Append(C, $"Command: `{report.Command}`\n\n");
        md.Append("Oracle fraction = oracle iteration time / true iteration time of the configuration the strategy would deploy after k trials (1.0 is optimal). ");
        md.Append("Cluster seconds = seconds the whole allocation is held for everything the strategy ran (microbenchmark runs, job starts, iterations; see docs/benchmarks.md); GPU-hours = cluster seconds × GPUs / 3600. ");
        md.Append("\"never\" = not within 2% of the oracle within the budget in most runs.\n\n");
        string[] ks = report.Aggregates.Count > 0 ? report.Aggregates[0].MeanOracleFractionAt.Keys.ToArray() : [];
        md.Append("| strategy | ").Append(string.Join(" | ", ks.Select(k => $"@{k}")))
          .Append(" | median trials to 2% | median cluster s to 2% | runs reaching 2% | mean cluster s total | mean GPU-h total | hazardous applied | risky applied | delivered slower than default | speedup vs default | microbench runs |\n");
        md.Append("|---|").Append(string.Concat(ks.Select(_ => "---|"))).Append("---|---|---|---|---|---|---|---|---|---|\n");
        foreach (BenchAggregate a in report.Aggregates)
        {
            md.Append(C, $"| {a.Strategy} | ").Append(string.Join(" | ", ks.Select(k => a.MeanOracleFractionAt[k].ToString("0.0000", C))))
              .Append(C, $" | {a.MedianTrialsTo2pct:0.#} | {Seconds(a.MedianClusterSecondsTo2pct)} | {a.RunsReaching2pct}/{a.Runs} | {a.MeanClusterSecondsTotal:0} | {a.MeanGpuHoursTotal:0.00} | {a.HazardousApplied} | {a.RiskyApplied} | {a.DeliveredSlowerThanDefault} | {a.MeanSpeedupVsDefault:0.000} | {a.MeanMicrobenchmarkRuns:0} |\n");
        }

        if (report.Costs.Count > 0)
        {
            md.Append("\n## Cost models\n\n| scenario | GPUs | job start s | nccl-tests run start s | remaining iterations |\n|---|---|---|---|---|\n");
            foreach (ScenarioCost cost in report.Costs)
            {
                md.Append(C, $"| {cost.Scenario} | {cost.Gpus} | {cost.JobStartSeconds:0.#} | {cost.MicrobenchmarkStartSeconds:0.#} | {cost.RemainingIterations:0} |\n");
            }
        }

        md.Append("\n## Scenarios\n\n| scenario | NCCL default ms | oracle ms | default gap | space | oracle time |\n|---|---|---|---|---|---|\n");
        foreach (ScenarioOracle s in report.Scenarios)
        {
            md.Append(C, $"| {s.Scenario} | {s.DefaultIterationMs:0.00} | {s.OracleIterationMs:0.00} | {s.DefaultIterationMs / s.OracleIterationMs:0.000} | {s.SpaceSize} | {s.ElapsedMs:0} ms |\n");
        }

        md.Append("\n## Per scenario (mean over seeds)\n\n| strategy | scenario | ").Append(string.Join(" | ", ks.Select(k => $"@{k}")))
          .Append(" | trials to 2% | median cluster s to 2% | cluster s total | hazardous |\n|---|---|")
          .Append(string.Concat(ks.Select(_ => "---|"))).Append("---|---|---|---|\n");
        foreach (var group in report.Results.GroupBy(r => (r.Strategy, r.Scenario)))
        {
            double?[] toTwo = group.Select(r => r.ClusterSecondsTo2pct).ToArray();
            md.Append(C, $"| {group.Key.Strategy} | {group.Key.Scenario} | ")
              .Append(string.Join(" | ", ks.Select(k => group.Average(r => r.OracleFractionAt[k]).ToString("0.0000", C))))
              .Append(C, $" | {group.Average(r => r.TrialsTo2pct):0.0} | {Seconds(Median(toTwo))} | {group.Average(r => r.ClusterSecondsTotal):0} | {group.Sum(r => r.HazardousApplied)} |\n");
        }

        return md.ToString();
    }

    private static string Seconds(double? seconds) => seconds is double s ? s.ToString("0", C) : "never";

    private static double? Median(double?[] values)
    {
        double[] sorted = values.Select(v => v ?? double.PositiveInfinity).Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return double.IsFinite(median) ? median : null;
    }
}
