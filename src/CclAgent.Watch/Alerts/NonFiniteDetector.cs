using System.Runtime.CompilerServices;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Alerts;

/// <summary>NaN or Inf in the loss (critical) or the grad norm (warning): raised on the first such line, no smoothing.</summary>
public sealed class NonFiniteDetector(bool gradNorm) : IAlertDetector
{
    private bool _active;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AlertEvent? Observe(MetricRecord record, long? trainingStep)
    {
        long? step = trainingStep;
        double? value = gradNorm ? record.GradNorm : record.Loss;
        if (value is not double v)
        {
            return null;
        }

        bool bad = !double.IsFinite(v);
        bool starts = bad && !_active;
        _active = bad;
        if (!starts)
        {
            return null;
        }

        string what = double.IsNaN(v) ? "NaN" : "Inf";
        return new AlertEvent
        {
            Kind = gradNorm ? AlertKinds.NanGradNorm : AlertKinds.NanLoss,
            Severity = gradNorm ? AlertSeverity.Warning : AlertSeverity.Critical,
            Line = record.Line,
            Step = step,
            Message = gradNorm
                ? $"grad norm is {what}; with fp16 dynamic loss scaling an occasional non-finite grad norm is a skipped step, a run of them is not"
                : $"loss is {what}: the run has diverged or hit a numerical error; stop it and resume from the last good checkpoint with a lower learning rate or bf16",
        };
    }
}
