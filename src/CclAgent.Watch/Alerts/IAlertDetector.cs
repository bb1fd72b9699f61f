using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Alerts;

/// <summary>
/// Watches one signal of the training records. Detectors are edge-triggered: they raise once when a condition starts
/// and re-arm when it clears, so a persistent problem is one alert, not one per line.
/// </summary>
public interface IAlertDetector
{
    /// <summary>Looks at a training record; returns an alert when one starts.</summary>
    AlertEvent? Observe(MetricRecord record, long? trainingStep);
}
