using System.Globalization;
using System.Runtime.CompilerServices;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Alerts;

/// <summary>
/// Memory that keeps growing after start-up (a leak, a growing cache, sequence lengths creeping up) ends in OOM. Raised
/// when memory grew by more than <see cref="WatchSettings.MemoryGrowth"/> (and at least 256 MB) across a full window
/// that followed an earlier window; with <c>--gpu-memory-gb</c> the message says how many iterations are left before
/// the device is full. After an alert the next one needs another growth of the same size.
/// </summary>
public sealed class MemoryGrowthDetector(WatchSettings settings) : IAlertDetector
{
    private readonly RingBuffer<SeriesPoint> _window = new(settings.Window);
    private long _seen;
    private double _alertedAt;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AlertEvent? Observe(MetricRecord record, long? trainingStep)
    {
        long? step = trainingStep;
        if (record.MemoryMb is not double mb || !double.IsFinite(mb) || mb <= 0)
        {
            return null;
        }

        _seen++;
        _window.Add(new SeriesPoint(step ?? _seen, mb, record.Line));

        // Skip the first window: allocator warm-up and the first evaluation legitimately raise memory.
        if (_seen < 2L * _window.Capacity || !_window.IsFull)
        {
            return null;
        }

        SeriesPoint first = _window.Oldest;
        double growth = mb - first.Value;
        double reference = Math.Max(first.Value, _alertedAt);
        if (growth < Math.Max(256, settings.MemoryGrowth * first.Value) || mb < reference * (1 + settings.MemoryGrowth))
        {
            return null;
        }

        _alertedAt = mb;
        double steps = Math.Max(1, (step ?? _seen) - first.Step);
        double perStep = growth / steps;
        return new AlertEvent
        {
            Kind = AlertKinds.MemoryGrowth,
            Severity = AlertSeverity.Warning,
            Line = record.Line,
            Step = step,
            Message = Describe(first.Value, mb, perStep),
            Details = [new Metric("value", mb), new Metric("window_start", first.Value), new Metric("mb_per_iteration", perStep)],
        };
    }

    private string Describe(double from, double to, double perStep)
    {
        var c = CultureInfo.InvariantCulture;
        string text = string.Create(c, $"GPU memory grew from {from:0} MB to {to:0} MB over the last {_window.Count} records ({perStep * 1000:0.#} MB per 1000 iterations)");
        if (settings.GpuMemoryGb is double gb && perStep > 0)
        {
            double left = Math.Max(0, (gb * 1024) - to) / perStep;
            return text + string.Create(c, $"; at this rate the {gb:0.#} GB device is full in about {left:0} iterations");
        }

        return text + "; if it keeps growing the run will hit CUDA out of memory (pass --gpu-memory-gb for a distance to OOM)";
    }
}
