using System.Globalization;
using System.Runtime.CompilerServices;
using CclAgent.Watch.Analysis;
using CclAgent.Watch.Events;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Alerts;

/// <summary>
/// A value far above its recent distribution: robust z-score (median and MAD of the last 50 finite values) above a
/// threshold and above a multiple of the median. Used for loss spikes and grad-norm explosions. The median and MAD are
/// refreshed every few records, which keeps a million-line log fast.
/// </summary>
public sealed class SpikeDetector : IAlertDetector
{
    private const int MinHistory = 20;
    private const int RefreshEvery = 8;
    private const int QuietToRearm = 5;
    private readonly SortedWindow _window = new(50);
    private readonly bool _gradNorm;
    private readonly double _z;
    private readonly double _factor;
    private readonly double _rangeFraction;
    private double _median;
    private double? _peakMedian;
    private double _sigma;
    private int _sinceRefresh = RefreshEvery;
    private int _quietRecords = QuietToRearm;

    private SpikeDetector(bool gradNorm, double z, double factor, double rangeFraction)
    {
        _gradNorm = gradNorm;
        _z = z;
        _factor = factor;
        _rangeFraction = rangeFraction;
    }

    /// <summary>
    /// Loss spikes: z above <see cref="WatchSettings.SpikeZ"/>, at least 25% above the median, and material next to how
    /// far the loss has come down (the highest median so far minus the current one): at a loss of 0.001, noise is
    /// easily 25% of the median.
    /// </summary>
    public static SpikeDetector ForLoss(WatchSettings settings) => new(false, settings.SpikeZ, 1.25, 2.5 * settings.DivergeRangeFraction);

    /// <summary>Grad-norm explosions: above <see cref="WatchSettings.GradExplosionFactor"/> × the median.</summary>
    public static SpikeDetector ForGradNorm(WatchSettings settings) => new(true, settings.SpikeZ + 2, settings.GradExplosionFactor, 0);

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public AlertEvent? Observe(MetricRecord record, long? trainingStep)
    {
        long? step = trainingStep;
        double? value = _gradNorm ? record.GradNorm : record.Loss;
        if (value is not double v || !double.IsFinite(v))
        {
            return null;
        }

        AlertEvent? alert = null;
        if (_window.Count >= MinHistory)
        {
            Refresh();
            double z = (v - _median) / Math.Max(_sigma, 1e-12 + (1e-6 * Math.Abs(_median)));
            double floor = _rangeFraction * ((_peakMedian ?? _median) - _median);
            bool spike = z > _z && (v - _median) > (_factor - 1) * Math.Abs(_median) && v - _median >= floor;
            if (spike && _quietRecords >= QuietToRearm)
            {
                alert = Raise(record, step, v, z);
            }

            _quietRecords = spike ? 0 : Math.Min(_quietRecords + 1, QuietToRearm);
        }

        _window.Add(v);
        _sinceRefresh++;
        return alert;
    }

    private void Refresh()
    {
        if (_sinceRefresh >= RefreshEvery)
        {
            (_median, _sigma) = _window.MedianAndSigma();
            _peakMedian = Math.Max(_peakMedian ?? _median, _median);
            _sinceRefresh = 0;
        }
    }

    private AlertEvent Raise(MetricRecord record, long? step, double v, double z)
    {
        var c = CultureInfo.InvariantCulture;
        string name = _gradNorm ? "grad norm" : "loss";
        string advice = _gradNorm
            ? "gradient clipping or a lower learning rate usually prevents what follows"
            : "a single spike often recovers; repeated spikes before a NaN mean the learning rate is too high";
        return new AlertEvent
        {
            Kind = _gradNorm ? AlertKinds.GradNormExplosion : AlertKinds.LossSpike,
            Severity = AlertSeverity.Warning,
            Line = record.Line,
            Step = step,
            Message = string.Create(c, $"{name} {v:0.####} is {v / Math.Max(Math.Abs(_median), 1e-12):0.0}x its recent median {_median:0.####} (robust z {z:0.0}); {advice}"),
            Details = [new Metric("value", v), new Metric("median", _median), new Metric("z", z)],
        };
    }
}
