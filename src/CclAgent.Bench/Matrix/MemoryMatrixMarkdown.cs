using System.Globalization;
using System.Text;

namespace CclAgent.Bench.Matrix;

/// <summary>memory-matrix.md: one row per ordered pair, warm / cold oracle fraction at each checkpoint.</summary>
public static class MemoryMatrixMarkdown
{
    public static string Render(MemoryMatrixReport report)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Memory matrix (budget {report.Budget}, seed {report.Seed}, tolerance {report.Tolerance:0.###})\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{report.WorsePairs} of {report.Pairs.Count} pairs warm < cold − tolerance at some checkpoint.\n\n");
        md.Append("| earlier (A) | later (B) | similarity | ").Append(string.Join(" | ", report.Checkpoints.Select(k => $"@{k} warm/cold"))).Append(" | worst gap | worse |\n");
        md.Append("|---|---|---|").Append(string.Concat(report.Checkpoints.Select(_ => "---|"))).Append("---|---|\n");
        foreach (MemoryMatrixPair p in report.Pairs)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {p.Earlier} | {p.Later} | {p.Similarity:0.00} | ");
            md.Append(string.Join(" | ", report.Checkpoints.Select(k => string.Create(CultureInfo.InvariantCulture, $"{p.Warm[Key(k)]:0.000}/{p.Cold[Key(k)]:0.000}"))));
            md.Append(CultureInfo.InvariantCulture, $" | {p.WorstGap:0.0000} | {(p.Worse ? "**yes**" : "no")} |\n");
        }

        return md.ToString();
    }

    private static string Key(int k) => k.ToString(CultureInfo.InvariantCulture);
}
