using System.Globalization;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;

namespace CclAgent.Watch.Output;

/// <summary>
/// Human output: one line per phase change, alert and advice, status lines at most every status interval, and the
/// summary. Alerts of one kind are shown at most once per cooldown; the others are counted and reported.
/// </summary>
public sealed class ConsoleSink(TextWriter output, TimeProvider time, TimeSpan cooldown, TimeSpan statusEvery) : IWatchEventSink
{
    private readonly Dictionary<string, DateTimeOffset> _lastShown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _suppressed = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastStatus;

    public void Emit(WatchEvent watchEvent)
    {
        string? text = watchEvent switch
        {
            PhaseChangeEvent p => Invariant($"[line {p.Line}{StepText(p.Step)}] phase {TrainingPhases.Name(p.From)} → {TrainingPhases.Name(p.To)}: {p.Reason}"),
            AlertEvent a => Alert(a),
            AdviceEvent v => Invariant($"[line {v.Line}{StepText(v.Step)}] advice: {v.Message}"),
            StatusEvent s => Status(s),
            LogFileEvent f => Invariant($"[line {f.Line}] log {f.Event}: {f.Path}"),
            SummaryEvent m => SummaryText.Format(m, _suppressed),
            _ => null,
        };
        if (text is not null)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    private string? Alert(AlertEvent a)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_lastShown.TryGetValue(a.Kind, out DateTimeOffset last) && now - last < cooldown)
        {
            _suppressed[a.Kind] = _suppressed.GetValueOrDefault(a.Kind) + 1;
            return null;
        }

        _lastShown[a.Kind] = now;
        string level = a.Severity == AlertSeverity.Critical ? "ALERT" : "warning";
        return Invariant($"[line {a.Line}{StepText(a.Step)}] {level} {a.Kind}: {a.Message}");
    }

    private string? Status(StatusEvent s)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_lastStatus is DateTimeOffset last && now - last < statusEvery)
        {
            return null;
        }

        _lastStatus = now;
        string eta = s.Eta is EtaEstimate e ? Invariant($"  ETA {Duration(e.Seconds)} ({Duration(e.LowSeconds)}–{Duration(e.HighSeconds)})") : "";
        string best = s.Best is BestMetric b ? Invariant($"  best {b.Name} {b.Value:0.####} (line {b.Line})") : "";
        return Invariant($"[line {s.Line}{StepText(s.Step)}] {TrainingPhases.Name(s.Phase)}  loss {s.Loss:0.####} (smoothed {s.LossSmoothed:0.####})  lr {s.LearningRate:0.###e+0}{eta}{best}");
    }

    internal static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return t.TotalHours >= 1 ? Invariant($"{(int)t.TotalHours}h{t.Minutes:00}m") : Invariant($"{t.Minutes}m{t.Seconds:00}s");
    }

    private static string StepText(long? step) => step is long s ? Invariant($", step {s}") : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
