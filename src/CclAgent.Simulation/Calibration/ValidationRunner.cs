using System.Globalization;
using System.Text;
using CclAgent.Core.Statistics;

namespace CclAgent.Simulation.Calibration;

/// <summary>
/// Scores the simulator on the held-out half of the published data (bench/calibration/validation_*.{csv,json}).
/// Those rows were never used to fit a constant; this runner only measures. A row id is "case/size", and a
/// case is one published run on one platform, so the report is per case as issue 14 asks: median and worst
/// busbw ratio for ≥ 64 MiB, worst latency ratio for ≤ 64 KiB, and NCCL's default algorithm where shown.
/// </summary>
public static class ValidationRunner
{
    /// <summary>Simulates every validation row (with <see cref="CalibrationRunner"/>) and groups the rows by case.</summary>
    public static IReadOnlyList<ValidationCaseResult> Run(string csvPath, string clustersJsonPath)
    {
        CalibrationFile file = CalibrationRunner.LoadCases(clustersJsonPath);
        IReadOnlyList<CalibrationResult> rows = CalibrationRunner.Run(CalibrationRunner.LoadPublished(csvPath), file);
        var algorithms = (file.Rows ?? []).ToDictionary(c => c.Id ?? string.Empty, c => c.PublishedAlgorithm, StringComparer.Ordinal);
        return rows.GroupBy(r => CaseOf(r.Published.Id), StringComparer.Ordinal)
            .Select(g => Summarise(g.Key, g.ToList(), algorithms))
            .ToList();
    }

    /// <summary>"azure-h200-nvs-ar-8g/8g" → "azure-h200-nvs-ar-8g".</summary>
    public static string CaseOf(string rowId)
    {
        ArgumentNullException.ThrowIfNull(rowId);
        int slash = rowId.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? rowId : rowId[..slash];
    }

    private static ValidationCaseResult Summarise(
        string name, List<CalibrationResult> rows, Dictionary<string, string?> algorithms)
    {
        // A case is excluded as a whole when its source reports a degraded system (all its rows carry it).
        string? excluded = rows.All(r => r.Excluded is not null) ? rows[0].Excluded : null;
        List<CalibrationResult> bw = rows.Where(r => r.Checked && r.Kind == ToleranceKind.Bandwidth).ToList();
        List<CalibrationResult> lat = rows.Where(r => r.Checked && r.Kind == ToleranceKind.Latency).ToList();

        // NCCL's default is compared on the largest message, which is what a source's algorithm note describes.
        CalibrationResult largest = rows.MaxBy(r => r.Published.SizeBytes)!;
        string? published = rows.Select(r => algorithms.GetValueOrDefault(r.Published.Id)).FirstOrDefault(a => a is not null);
        return new ValidationCaseResult(
            name,
            rows[0].Published.Source,
            rows,
            bw.Count == 0 ? null : Quantiles.MedianOfSorted(bw.Select(r => r.Ratio).Order().ToArray()),
            bw.Count == 0 ? null : bw.Select(r => r.Ratio).MaxBy(ValidationSummary.Factor),
            lat.Count == 0 ? null : lat.Select(r => r.Ratio).MaxBy(ValidationSummary.Factor),
            published,
            published is null ? null : AlgorithmOf(largest.Decision),
            excluded);
    }

    /// <summary>"Nvls/Simple ch16" → "Nvls".</summary>
    private static string AlgorithmOf(string decision)
    {
        int slash = decision.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? decision : decision[..slash];
    }

    /// <summary>The per-case validation table and the headline numbers, for docs/simulator.md.</summary>
    public static string RenderMarkdown(IReadOnlyList<ValidationCaseResult> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var text = new StringBuilder();
        text.AppendLine("| Case | Median busbw sim/pub (≥64 MiB) | Worst busbw sim/pub | Worst latency sim/pub (≤64 KiB) | NCCL algorithm pub → sim | Within target? | Source |");
        text.AppendLine("|---|---:|---:|---:|---|---|---|");
        foreach (ValidationCaseResult c in cases)
        {
            string algo = c.PublishedAlgorithm is null ? "not shown" : $"{c.PublishedAlgorithm} → {c.SimulatedAlgorithm}";
            text.AppendLine(Format($"| {c.Case} | {Ratio(c.BandwidthMedianRatio)} | {Ratio(c.BandwidthWorstRatio)} | {Ratio(c.LatencyWorstRatio)} | {algo} | {Verdict(c)} | [link]({c.Source}) |"));
        }

        ValidationSummary s = ValidationSummary.From(cases);
        text.AppendLine();
        text.AppendLine(Format($"Cases (not excluded): **{s.Cases}**. Median large-message busbw within ±25%: **{s.BandwidthWithinTolerance} of {s.BandwidthCases}**. Worst large-message row: **{s.WorstBandwidthFactor:0.00}×** off ({s.WorstBandwidthCase}). Small-message latency within 2×: **{s.LatencyWithinTolerance} of {s.LatencyCases}**. Default algorithm right: **{s.AlgorithmRight} of {s.AlgorithmShown}** where the source shows it."));
        return text.ToString();
    }

    private static string Verdict(ValidationCaseResult c)
    {
        if (c.Excluded is not null)
        {
            return $"excluded: {c.Excluded}";
        }

        var parts = new List<string>();
        if (c.BandwidthMedianRatio is not null)
        {
            parts.Add(c.BandwidthWithinTolerance ? "busbw yes" : "busbw **NO**");
        }

        if (c.LatencyWorstRatio is not null)
        {
            parts.Add(c.LatencyWithinTolerance ? "latency yes" : "latency **NO**");
        }

        if (c.AlgorithmRight is bool right)
        {
            parts.Add(right ? "algo yes" : "algo **NO**");
        }

        return string.Join(", ", parts);
    }

    private static string Ratio(double? value) => value is double v ? Format($"{v:0.00}") : "—";

    private static string Format(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
