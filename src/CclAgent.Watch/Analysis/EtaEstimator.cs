using System.Runtime.CompilerServices;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// ETA from the distribution of recent iteration times: remaining iterations × median for the estimate, × the 10th and
/// 90th percentiles for the interval. Remaining iterations come from the line's max step, or, when the log only gives
/// the framework's own ETA (MMEngine epoch mode, detectron2), from that ETA divided by the time it was computed from.
/// </summary>
public sealed class EtaEstimator
{
    private readonly RingBuffer<double> _times = new(200);
    private long? _remaining;

    public RingBuffer<double> Times => _times;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Observe(MetricRecord record, long? step)
    {
        if (record.IterTimeSeconds is double t && double.IsFinite(t) && t > 0)
        {
            _times.Add(t);
        }

        if (record.MaxStep is long max && step is long s)
        {
            _remaining = Math.Max(0, max - s);
        }
        else if (record.FrameworkEtaSeconds is double eta && record.IterTimeSeconds is double it && it > 0)
        {
            _remaining = (long)Math.Round(eta / it);
        }
    }

    /// <summary>Marks the run as finished (no remaining iterations).</summary>
    public void Finish() => _remaining = 0;

    public long? RemainingIterations => _remaining;

    public double? MedianSecondsPerIteration => _times.Count == 0 ? null : WindowStats.Of(_times, 0.5)[0];

    public EtaEstimate? Estimate()
    {
        if (_remaining is not long remaining || _times.Count < 3)
        {
            return null;
        }

        double[] q = WindowStats.Of(_times, 0.1, 0.5, 0.9);
        return new EtaEstimate(remaining * q[1], remaining * q[0], remaining * q[2], remaining, q[1]);
    }
}
