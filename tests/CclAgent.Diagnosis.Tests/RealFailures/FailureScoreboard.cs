using System.Globalization;
using System.Text;

namespace CclAgent.Diagnosis.Tests.RealFailures;

/// <summary>Top-1 and top-3 per split and in all, the fixes named, and one line per case (every miss shown).</summary>
internal sealed class FailureScoreboard(IReadOnlyList<FailureScore> scores)
{
    public IReadOnlyList<FailureScore> Scores { get; } = scores;

    public (int Cases, int Top1, int Top3, int Fixes, int FixesNamed) For(string? split)
    {
        var s = Scores.Where(x => split is null || x.Case.Split == split).ToList();
        int fixes = s.Sum(x => x.Case.ExpectedFixMentions.Count);
        return (s.Count, s.Count(x => x.Top1), s.Count(x => x.Top3), fixes, fixes - s.Sum(x => x.FixesMissing.Count));
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| split | cases | top-1 | top-3 | expected fixes named |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (string? split in new[] { "fit", "judge", null })
        {
            (int cases, int top1, int top3, int fixes, int named) = For(split);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {split ?? "all"} | {cases} | {top1}/{cases} | {top3}/{cases} | {named}/{fixes} |");
        }

        text.AppendLine();
        text.AppendLine("| case | split | kind | expected | diagnose said (ranked) | top-1 | fixes not named |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (FailureScore s in Scores)
        {
            string mark = s.Top1 ? "yes" : s.Top3 ? "**top-3 only**" : "**miss**";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Case.Id} | {s.Case.Split} | {s.Case.Kind} | {string.Join(" / ", s.Case.AcceptableCategories)} | {string.Join(", ", s.Ranked.Take(3))} | {mark} | {string.Join(", ", s.FixesMissing)} |");
        }

        return text.ToString();
    }
}
