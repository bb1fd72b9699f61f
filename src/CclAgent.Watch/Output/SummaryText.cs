using System.Globalization;
using System.Text;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;

namespace CclAgent.Watch.Output;

/// <summary>The human summary printed on exit.</summary>
public static class SummaryText
{
    public static string Format(SummaryEvent m, IReadOnlyDictionary<string, int> suppressed)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"summary: {m.Lines} lines ({m.Format}): {m.Records} records, {m.ProgressLines} progress, {m.UnknownLines} skipped; final phase {TrainingPhases.Name(m.FinalPhase)}");
        foreach (PhaseSpan span in m.Phases.Where(s => s.Records > 0 || s.Phase != TrainingPhase.Initializing))
        {
            string steps = span.FromStep is long a && span.ToStep is long b ? string.Create(c, $", steps {a}–{b}") : "";
            text.AppendLine(c, $"  {TrainingPhases.Name(span.Phase),-19} lines {span.FromLine}–{span.ToLine}{steps} ({span.Records} records)");
        }

        if (m.Best is BestMetric best)
        {
            string where = best.Step is long s ? string.Create(c, $" at step {s}") : "";
            string epoch = best.Epoch is double e ? string.Create(c, $", epoch {e:0.##}") : "";
            text.AppendLine(c, $"  best {best.Name} {best.Value:0.####} (line {best.Line}{where}{epoch})");
        }

        string alerts = m.Alerts.Count == 0 ? "none" : string.Join(", ", m.Alerts.Select(a => string.Create(c, $"{a.Key} ×{a.Value}")));
        text.AppendLine(c, $"  alerts: {alerts}");
        if (suppressed.Count > 0)
        {
            text.AppendLine(c, $"  (repeats hidden by the console cooldown: {string.Join(", ", suppressed.Select(a => string.Create(c, $"{a.Key} ×{a.Value}")))}; --json shows every alert)");
        }

        if (m.Eta is EtaEstimate eta)
        {
            text.AppendLine(c, $"  ETA {ConsoleSink.Duration(eta.Seconds)} ({ConsoleSink.Duration(eta.LowSeconds)}–{ConsoleSink.Duration(eta.HighSeconds)}) for {eta.RemainingIterations} iterations at {eta.SecondsPerIteration:0.###} s/iteration");
        }

        if (m.Advice is AdviceEvent advice)
        {
            text.AppendLine(c, $"  advice: {advice.Message}");
        }

        return text.ToString().TrimEnd();
    }
}
