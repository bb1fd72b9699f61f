namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>
/// How <c>watch</c> did on one real log against its hand-written expectation. Each field is one of the issue's
/// figures: format recognised, phases a person agrees with, required alerts, false alarms, early-stop advice.
/// </summary>
internal sealed record CaseScore(
    RealLogCase Case,
    WatchRun Run,
    bool FormatRecognised,
    IReadOnlyList<string> PhaseFaults,
    IReadOnlyList<string> MissedAlerts,
    IReadOnlyList<string> FalseAlarms,
    bool? AdviceRight,
    int AdviceEmitted,
    int AdviceHeldUp)
{
    public bool PhasesAgree => PhaseFaults.Count == 0;

    public int RequiredAlerts => Case.AlertsRequired.Count;

    public int RequiredAlertsFired => RequiredAlerts - MissedAlerts.Count;

    public static CaseScore Of(RealLogCase c, WatchRun run)
    {
        bool format = c.Formats.Contains(run.Format, StringComparer.Ordinal) && run.Records >= c.MinRecords;
        return new CaseScore(c, run, format, PhaseFaultsOf(c, run), MissedAlertsOf(c, run), FalseAlarmsOf(c, run),
            AdviceRightOf(c, run), run.Advice.Count, run.Advice.Count(a => HeldUp(a, run)));
    }

    private static List<string> PhaseFaultsOf(RealLogCase c, WatchRun run)
    {
        var faults = new List<string>();
        if (c.FinalPhases.Count > 0 && !c.FinalPhases.Contains(run.FinalPhase, StringComparer.Ordinal))
        {
            faults.Add($"ended {run.FinalPhase}, expected {string.Join("|", c.FinalPhases)}");
        }

        foreach (LineWindow want in c.MustVisit)
        {
            if (!run.Phases.Any(p => p.Phase == want.Name && want.Overlaps(p.FromLine, p.ToLine)))
            {
                faults.Add($"no {want.Name} in lines {want.FromLine}-{want.ToLine}");
            }
        }

        foreach (string banned in c.MustNotVisit)
        {
            foreach ((string phase, int from, int _) in run.Phases.Where(p => p.Phase == banned).Take(1))
            {
                faults.Add($"{phase} from line {from}");
            }
        }

        return faults;
    }

    private static List<string> MissedAlertsOf(RealLogCase c, WatchRun run) =>
        c.AlertsRequired
            .Where(want => !run.Alerts.Any(a => a.Kind == want.Name && want.Contains(a.Line)))
            .Select(want => $"{want.Name}@{want.FromLine}-{want.ToLine}")
            .ToList();

    /// <summary>An alert kind that is neither required nor defensible counts once per log, however often it fires.</summary>
    private static List<string> FalseAlarmsOf(RealLogCase c, WatchRun run) =>
        run.Alerts
            .Where(a => !c.AlertsMayFire.Contains(a.Kind, StringComparer.Ordinal) && !c.AlertsRequired.Any(r => r.Name == a.Kind))
            .GroupBy(a => a.Kind, StringComparer.Ordinal)
            .Select(g => $"{g.Key}@{g.First().Line}")
            .ToList();

    private static bool? AdviceRightOf(RealLogCase c, WatchRun run)
    {
        if (c.EarlyStop is not { } expected)
        {
            return null;
        }

        bool emitted = run.Advice.Count > 0;
        if (emitted != expected)
        {
            return false;
        }

        return !emitted || c.CheckpointContains is null
            || run.Advice.Any(a => a.Checkpoint?.Contains(c.CheckpointContains, StringComparison.OrdinalIgnoreCase) == true);
    }

    /// <summary>The backtest: after the advice, did the metric in fact never improve on the advised best by more than min-delta?</summary>
    private static bool HeldUp(WatchAdvice advice, WatchRun run) =>
        run.FinalBest is not { } best || best.Metric != advice.Metric || !best.ImprovesOn(advice.Best, advice.MinDelta);
}
