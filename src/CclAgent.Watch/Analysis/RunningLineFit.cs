using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// A least-squares line through the last N values of a series (x = position in the window), kept as running sums so that
/// adding a value and reading the fit are O(1) instead of a pass over the window per record (a million-line log reads
/// the fit a million times). Values are stored relative to an offset, and the sums are recomputed exactly from the
/// window once per N additions, so rounding cannot build up and a loss of 1000 ± 0.001 keeps its digits.
/// </summary>
public sealed class RunningLineFit
{
    private readonly RingBuffer<double> _values;
    private double _offset;
    private double _sumY;
    private double _sumKY;
    private double _sumYY;
    private long _nextK;
    private int _sinceRebase;

    public RunningLineFit(int capacity) => _values = new RingBuffer<double>(capacity);

    public int Count => _values.Count;

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (_values.IsFull)
        {
            double oldest = _values.Oldest - _offset;
            long oldestK = _nextK - _values.Count;
            _sumY -= oldest;
            _sumKY -= oldestK * oldest;
            _sumYY -= oldest * oldest;
        }

        _values.Add(value);
        double y = value - _offset;
        _sumY += y;
        _sumKY += _nextK * y;
        _sumYY += y * y;
        _nextK++;
        if (++_sinceRebase >= _values.Capacity)
        {
            Rebase();
        }
    }

    /// <summary>Intercept (the fitted value at the oldest point) and slope per position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Intercept, double Slope) Line()
    {
        int n = _values.Count;
        if (n == 0)
        {
            return (0, 0);
        }

        (double sxy, double sxx, double meanX, double meanY) = Moments(n);
        double slope = sxx > 0 ? sxy / sxx : 0;
        return (meanY + _offset - (slope * meanX), slope);
    }

    /// <summary>
    /// The t-statistic of the slope: about −2 or below when the series really falls. A perfect line (no residual
    /// at the series' own precision) gives ±10⁶.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double SlopeT()
    {
        int n = _values.Count;
        if (n < 3)
        {
            return 0;
        }

        (double sxy, double sxx, _, double meanY) = Moments(n);
        double slope = sxy / sxx;
        double syy = _sumYY - (_sumY * _sumY / n);
        double sse = Math.Max(syy - (slope * sxy), 0);
        double standardError = Math.Sqrt(sse / (n - 2) / sxx);
        double scale = 1e-12 * Math.Max(Math.Abs(meanY + _offset), 1);
        if (standardError > scale)
        {
            return slope / standardError;
        }

        // No residual: a flat series (slope only rounding) has no trend, a perfect line an unmistakable one.
        return Math.Abs(slope * n) > scale ? Math.Sign(slope) * 1e6 : 0;
    }

    private (double Sxy, double Sxx, double MeanX, double MeanY) Moments(int n)
    {
        long firstK = _nextK - n;
        double meanX = (n - 1) / 2.0;
        double meanY = _sumY / n;
        double sumXY = _sumKY - (firstK * _sumY);
        double sxy = sumXY - (meanX * _sumY);
        double sxx = n * ((double)n * n - 1) / 12.0;
        return (sxy, sxx, meanX, meanY);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rebase()
    {
        _sinceRebase = 0;
        int n = _values.Count;
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += _values[i] / n;
        }

        _offset = mean;
        _sumY = _sumKY = _sumYY = 0;
        for (int i = 0; i < n; i++)
        {
            double y = _values[i] - _offset;
            _sumY += y;
            _sumKY += i * y;
            _sumYY += y * y;
        }

        _nextK = n;
    }
}
