using System.Globalization;
using CclAgent.Watch.Alerts;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// "No new lines for many times the usual interval": the usual interval is the median gap between reads that brought
/// new lines (wall clock, from the injected <see cref="TimeProvider"/>); a stall is <see cref="WatchSettings.StallFactor"/>
/// of those, and never less than <see cref="WatchSettings.MinStall"/>. Before any gap is known the threshold is
/// StallFactor × MinStall.
/// </summary>
public sealed class StallMonitor(WatchSettings settings, TimeProvider time)
{
    private readonly RingBuffer<double> _gaps = new(20);
    private DateTimeOffset? _lastActivity;

    public bool IsStalled { get; private set; }

    /// <summary>Seconds since the last line when the stall was declared (or resumed).</summary>
    public double SilentSeconds { get; private set; }

    /// <summary>New lines arrived. Returns true when this ends a stall.</summary>
    public bool Activity()
    {
        DateTimeOffset now = time.GetUtcNow();
        if (_lastActivity is DateTimeOffset last && now > last)
        {
            SilentSeconds = (now - last).TotalSeconds;
            _gaps.Add(SilentSeconds);
        }

        _lastActivity = now;
        bool resumed = IsStalled;
        IsStalled = false;
        return resumed;
    }

    public double ThresholdSeconds
    {
        get
        {
            double min = settings.MinStall.TotalSeconds;
            return _gaps.Count < 3 ? settings.StallFactor * min : Math.Max(min, settings.StallFactor * WindowStats.Of(_gaps, 0.5)[0]);
        }
    }

    /// <summary>Checks the clock; returns the alert when a stall starts.</summary>
    public AlertEvent? Check(long line, long? step)
    {
        if (_lastActivity is not DateTimeOffset last || IsStalled)
        {
            return null;
        }

        double silent = (time.GetUtcNow() - last).TotalSeconds;
        double threshold = ThresholdSeconds;
        if (silent < threshold)
        {
            return null;
        }

        IsStalled = true;
        SilentSeconds = silent;
        double usual = _gaps.Count == 0 ? double.NaN : WindowStats.Of(_gaps, 0.5)[0];
        var c = CultureInfo.InvariantCulture;
        string usualText = double.IsNaN(usual) ? "no usual interval known yet" : string.Create(c, $"lines usually arrive every {usual:0.#} s");
        return new AlertEvent
        {
            Kind = AlertKinds.Stalled,
            Severity = AlertSeverity.Critical,
            Line = line,
            Step = step,
            Message = string.Create(c, $"no new log lines for {silent:0} s ({usualText}); the job may be hung (a collective waiting on a dead rank, a stuck dataloader) or killed: check the processes and `ccl-agent diagnose`"),
            Details = [new Metric("silent_seconds", silent), new Metric("threshold_seconds", threshold)],
        };
    }
}
