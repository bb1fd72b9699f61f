namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>The summed figures of a set of scored logs.</summary>
internal sealed record Totals(
    int Logs,
    int FormatRecognised,
    int PhasesAgree,
    int RequiredAlerts,
    int RequiredAlertsFired,
    int FalseAlarms,
    int AdviceLabelled,
    int AdviceRight,
    int AdviceEmitted,
    int AdviceHeldUp,
    int AdviceExpected,
    int AdviceRecalled)
{
    public static Totals Of(IReadOnlyList<CaseScore> scores) => new(
        Logs: scores.Count,
        FormatRecognised: scores.Count(s => s.FormatRecognised),
        PhasesAgree: scores.Count(s => s.PhasesAgree),
        RequiredAlerts: scores.Sum(s => s.RequiredAlerts),
        RequiredAlertsFired: scores.Sum(s => s.RequiredAlertsFired),
        FalseAlarms: scores.Sum(s => s.FalseAlarms.Count),
        AdviceLabelled: scores.Count(s => s.AdviceRight is not null),
        AdviceRight: scores.Count(s => s.AdviceRight == true),
        AdviceEmitted: scores.Sum(s => s.AdviceEmitted),
        AdviceHeldUp: scores.Sum(s => s.AdviceHeldUp),
        AdviceExpected: scores.Count(s => s.Case.MetricStoppedImprovingAtLine is not null),
        AdviceRecalled: scores.Count(s => s.Case.MetricStoppedImprovingAtLine is not null && s.AdviceEmitted > 0));
}
