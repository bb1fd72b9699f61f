using System.Globalization;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Alerts;

/// <summary>
/// fp16 dynamic loss scaling collapses when overflows keep halving the scale: the scale fell to 1 or below, or to
/// 1/1024 of its peak. Re-arms when the scale recovers to 1/16 of the peak. Only once dynamic scaling was seen at
/// work (a scale above 1): bf16 and fp32 runs print a constant 1 (Megatron) or 0, which is no collapse.
/// </summary>
public sealed class LossScaleDetector : IAlertDetector
{
    private const double CollapseRatio = 1024;
    private double _peak;
    private bool _active;

    public AlertEvent? Observe(MetricRecord record, long? trainingStep)
    {
        long? step = trainingStep;
        if (record.LossScale is not double scale || !double.IsFinite(scale))
        {
            return null;
        }

        _peak = Math.Max(_peak, scale);
        bool collapsed = _peak > 1 && (scale <= 1 || scale <= _peak / CollapseRatio);
        if (_active && scale >= _peak / 16)
        {
            _active = false;
        }

        if (!collapsed || _active)
        {
            return null;
        }

        _active = true;
        return new AlertEvent
        {
            Kind = AlertKinds.LossScaleCollapse,
            Severity = AlertSeverity.Critical,
            Line = record.Line,
            Step = step,
            Message = string.Create(CultureInfo.InvariantCulture, $"fp16 loss scale collapsed to {scale:G4} (peak {_peak:G4}): gradients overflow every step, so updates are being skipped; try bf16, a lower learning rate, or gradient clipping"),
            Details = [new Metric("value", scale), new Metric("peak", _peak)],
        };
    }
}
