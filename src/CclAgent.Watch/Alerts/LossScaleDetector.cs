using System.Globalization;
using System.Runtime.CompilerServices;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Alerts;

/// <summary>
/// fp16 dynamic loss scaling collapses when overflows keep cutting the scale: it fell to 1 or below, to 1/1024 of its
/// peak, or was cut on <see cref="CutsInARow"/> records in a row well into training (the cascade from the initial scale in
/// the first steps is normal; the same cascade at step 378 means every step overflows). Re-arms when the scale recovers
/// to 1/16 of the peak. Only once dynamic scaling was seen at work (the scale changed): bf16 and fp32 runs print a
/// constant 1 (Megatron) or 0, which is no collapse, while fairseq's scale can legitimately start below 1.
/// </summary>
public sealed class LossScaleDetector : IAlertDetector
{
    private const double CollapseRatio = 1024;
    private const int CutsInARow = 4;
    private const long WarmStartSteps = 100;
    private double _peak;
    private double? _last;
    private bool _dynamic;
    private int _cuts;
    private bool _active;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AlertEvent? Observe(MetricRecord record, long? trainingStep)
    {
        if (record.LossScale is not double scale || !double.IsFinite(scale))
        {
            return null;
        }

        bool cut = _last is double last && scale < last;
        _dynamic |= _last is double previous && scale != previous;
        _cuts = cut ? _cuts + 1 : scale > _last ? 0 : _cuts;
        _last = scale;
        _peak = Math.Max(_peak, scale);
        bool cascade = _cuts >= CutsInARow && trainingStep >= WarmStartSteps;
        bool collapsed = _dynamic && scale > 0 && (scale <= 1 || scale <= _peak / CollapseRatio || cascade);
        if (_active && scale >= _peak / 16 && !cascade)
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
            Step = trainingStep,
            Message = string.Create(CultureInfo.InvariantCulture, $"fp16 loss scale collapsed to {scale:G4} (peak {_peak:G4}, cut on {_cuts} records in a row): gradients overflow every step, so updates are being skipped; try bf16, a lower learning rate, or gradient clipping"),
            Details = [new Metric("value", scale), new Metric("peak", _peak)],
        };
    }
}
