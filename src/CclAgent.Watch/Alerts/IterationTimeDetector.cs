using System.Globalization;
using System.Runtime.CompilerServices;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Alerts;

/// <summary>
/// Iterations got slower: the median of the last 20 iteration times exceeds the baseline (the fastest median of an
/// earlier block of 20, after the first block) by <see cref="WatchSettings.IterationTimeRegression"/>. The data time
/// tells whether the input pipeline is the cause; otherwise compute or communication is, and a communication slowdown
/// is what <c>ccl-agent tune</c> fixes. Re-arms when the time is back within 15% of the baseline.
/// </summary>
public sealed class IterationTimeDetector(WatchSettings settings) : IAlertDetector
{
    private const int Block = 20;
    private readonly RingBuffer<double> _times = new(Block);
    private readonly RingBuffer<double> _dataTimes = new(Block);
    private long _count;
    private double? _baseline;
    private double? _baselineData;
    private bool _active;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AlertEvent? Observe(MetricRecord record, long? trainingStep)
    {
        long? step = trainingStep;
        if (record.IterTimeSeconds is not double t || !double.IsFinite(t) || t <= 0)
        {
            return null;
        }

        _times.Add(t);
        _dataTimes.Add(record.DataTimeSeconds is double d && double.IsFinite(d) ? d : 0);
        _count++;
        if (_count % Block != 0)
        {
            return null;
        }

        double median = WindowStats.Of(_times, 0.5)[0];
        double dataMedian = WindowStats.Of(_dataTimes, 0.5)[0];
        if (_count == Block)
        {
            // The first block includes start-up (compilation, cudnn autotuning, cache warm-up).
            return null;
        }

        if (_baseline is not double baseline || median < baseline)
        {
            if (!_active)
            {
                _baseline = median;
                _baselineData = dataMedian;
            }

            return null;
        }

        if (_active && median < baseline * 1.15)
        {
            _active = false;
        }

        if (_active || median <= baseline * settings.IterationTimeRegression)
        {
            return null;
        }

        _active = true;
        return Raise(record, step, median, baseline, dataMedian, _baselineData ?? 0);
    }

    private static AlertEvent Raise(MetricRecord record, long? step, double median, double baseline, double data, double baselineData)
    {
        var c = CultureInfo.InvariantCulture;
        double extra = median - baseline;
        bool dataBound = data - baselineData > 0.5 * extra;
        string cause = dataBound
            ? string.Create(c, $"data_time rose from {baselineData:0.###} s to {data:0.###} s, so the input pipeline is the likely cause (more dataloader workers, faster storage)")
            : string.Create(c, $"data_time is {data:0.###} s (was {baselineData:0.###} s), so compute or communication slowed down; if communication did (other jobs on the network, a degraded link), run `ccl-agent tune` to re-tune NCCL");
        return new AlertEvent
        {
            Kind = AlertKinds.IterationTimeRegression,
            Severity = AlertSeverity.Warning,
            Line = record.Line,
            Step = step,
            Message = string.Create(c, $"iterations take {median:0.###} s, {median / baseline - 1:0%} slower than the baseline {baseline:0.###} s; {cause}"),
            Details = [new Metric("value", median), new Metric("baseline", baseline), new Metric("data_time", data)],
        };
    }
}
