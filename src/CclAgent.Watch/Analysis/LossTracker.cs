using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// The training loss: a debiased EMA, the window of smoothed values the phase rules read their trend from, and the
/// lowest smoothed value so far.
/// </summary>
public sealed class LossTracker
{
    private readonly DebiasedEma _ema;
    private readonly RingBuffer<SeriesPoint> _trend;
    private readonly RunningLineFit _trendFit;
    private readonly RunningLineFit _rawFit;
    private (double Intercept, double Slope)? _fit;
    private double? _t;

    public LossTracker(WatchSettings settings)
    {
        _ema = new DebiasedEma(settings.SmoothingWeight);
        _trend = new RingBuffer<SeriesPoint>(settings.Window);
        _trendFit = new RunningLineFit(settings.Window);
        _rawFit = new RunningLineFit(settings.Window);
    }

    public double? Latest { get; private set; }

    public double? Smoothed => _ema.Value;

    public long Count => _ema.Count;

    public SeriesPoint? Best { get; private set; }

    /// <summary>The highest smoothed value so far: with <see cref="Best"/>, the scale of what the run has learned.</summary>
    public double? Peak { get; private set; }

    /// <summary>
    /// How far the loss has come down (peak − best of the smoothed loss): the yardstick that makes rises and spikes
    /// comparable at every scale. A rise of 0.0005 is 50% of a loss of 0.001 but nothing for a run that fell from 0.7.
    /// </summary>
    public double LearnedRange => Peak is double peak && Best is { } best ? peak - best.Value : 0;

    /// <summary>The smoothed values of the last window, oldest first.</summary>
    public RingBuffer<SeriesPoint> Trend => _trend;

    /// <summary>True once the window holds enough points for a trend (a tenth of it, at least 5): a pasted excerpt of 8 lines has one.</summary>
    public bool HasTrend => _trend.Count >= Math.Max(5, _trend.Capacity / 10);

    /// <summary>
    /// Relative change of the smoothed loss across the window, from a least-squares line through all its points (far
    /// less noisy than comparing the two ends): negative while the loss falls.
    /// </summary>
    public double RelativeChange => (FittedLast - FittedFirst) / Math.Max(Math.Abs((FittedFirst + FittedLast) / 2), 1e-12);

    /// <summary>
    /// The t-statistic of the slope of the <em>raw</em> losses in the window (raw values are close to independent, the
    /// smoothed ones are not): about −2 or below means the loss is really falling, not just noise.
    /// </summary>
    public double SlopeT => _t ??= _rawFit.SlopeT();

    /// <summary>The fitted smoothed loss at the start of the window.</summary>
    public double FittedFirst => Fit().Intercept;

    /// <summary>The fitted smoothed loss at the end of the window.</summary>
    public double FittedLast => Fit().Intercept + (Fit().Slope * (_trend.Count - 1));

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>Adds a finite loss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double loss, double step, long line)
    {
        _fit = null;
        _t = null;
        _rawFit.Add(loss);
        Latest = loss;
        _ema.Add(loss);
        double smoothed = _ema.Value!.Value;
        _trend.Add(new SeriesPoint(step, smoothed, line));
        _trendFit.Add(smoothed);
        if (Best is null || smoothed < Best.Value.Value)
        {
            Best = new SeriesPoint(step, smoothed, line);
        }

        Peak = Math.Max(Peak ?? smoothed, smoothed);
    }

    // x is the record index within the window: log intervals are regular, steps may be missing.
    private (double Intercept, double Slope) Fit() => _fit ??= _trendFit.Line();
}
