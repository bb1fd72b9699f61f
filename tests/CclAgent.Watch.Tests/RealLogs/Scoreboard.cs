using System.Globalization;
using System.Text;

namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>The corpus figures the issue asks for, per split and in all, and one line per log that says what went wrong.</summary>
internal sealed class Scoreboard(IReadOnlyList<CaseScore> scores)
{
    public IReadOnlyList<CaseScore> Scores { get; } = scores;

    public Totals For(string? split) => Totals.Of(Scores.Where(s => split is null || s.Case.Split == split).ToList());

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| split | logs | format recognised | phases agree | required alerts | false alarms | advice right | advice held up (precision) | advice recall |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (string? split in new[] { "fit", "judge", null })
        {
            Totals t = For(split);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {split ?? "all"} | {t.Logs} | {t.FormatRecognised}/{t.Logs} | {t.PhasesAgree}/{t.Logs} | {t.RequiredAlertsFired}/{t.RequiredAlerts} | {t.FalseAlarms} | {t.AdviceRight}/{t.AdviceLabelled} | {t.AdviceHeldUp}/{t.AdviceEmitted} | {t.AdviceRecalled}/{t.AdviceExpected} |");
        }

        text.AppendLine();
        text.AppendLine("| log | split | format | final phase | phase changes | phases | alerts missed | false alarms | advice (expected → emitted) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (CaseScore s in Scores)
        {
            string format = s.FormatRecognised ? s.Run.Format : $"**{s.Run.Format}** ({s.Run.Records} records)";
            string phases = s.PhasesAgree ? "ok" : "**" + string.Join("; ", s.PhaseFaults) + "**";
            string missed = s.MissedAlerts.Count == 0 ? "" : "**" + string.Join(", ", s.MissedAlerts) + "**";
            string falseAlarms = s.FalseAlarms.Count == 0 ? "" : "**" + string.Join(", ", s.FalseAlarms) + "**";
            string expected = s.Case.EarlyStop switch { true => "stop", false => "none", null => "either" };
            string emitted = s.AdviceEmitted == 0 ? "none" : $"stop at line {s.Run.Advice[0].Line}";
            string advice = s.AdviceRight == false ? $"**{expected} → {emitted}**" : $"{expected} → {emitted}";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Case.Id} | {s.Case.Split} | {format} | {s.Run.FinalPhase} | {s.Run.PhaseChanges} | {phases} | {missed} | {falseAlarms} | {advice} |");
        }

        return text.ToString();
    }
}
