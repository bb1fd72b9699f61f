namespace CclAgent.Watch.Analysis;

/// <summary>Median, MAD and quantiles of small windows, and the normal CDF.</summary>
public static class RobustStats
{
    /// <summary>Sorts <paramref name="values"/> in place and returns the quantile <paramref name="q"/> (linear interpolation).</summary>
    public static double QuantileInPlace(Span<double> values, double q)
    {
        values.Sort();
        return SortedQuantile(values, q);
    }

    public static double SortedQuantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = q * (sorted.Length - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>Median and MAD (scaled by 1.4826 to estimate a standard deviation) of the window's values.</summary>
    public static (double Median, double Sigma) MedianAndSigma(RingBuffer<double> window)
    {
        Span<double> scratch = window.Count <= 256 ? stackalloc double[window.Count] : new double[window.Count];
        window.CopyTo(scratch);
        double median = QuantileInPlace(scratch, 0.5);
        for (int i = 0; i < scratch.Length; i++)
        {
            scratch[i] = Math.Abs(scratch[i] - median);
        }

        return (median, 1.4826 * QuantileInPlace(scratch, 0.5));
    }

    /// <summary>Quantiles of the window's values.</summary>
    public static double[] Quantiles(RingBuffer<double> window, params double[] qs)
    {
        Span<double> scratch = window.Count <= 256 ? stackalloc double[window.Count] : new double[window.Count];
        window.CopyTo(scratch);
        scratch.Sort();
        var result = new double[qs.Length];
        for (int i = 0; i < qs.Length; i++)
        {
            result[i] = SortedQuantile(scratch, qs[i]);
        }

        return result;
    }

    /// <summary>Standard normal CDF (Abramowitz &amp; Stegun 7.1.26 erf, |error| &lt; 1.5e-7).</summary>
    public static double NormalCdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + (0.3275911 * x));
        double erf = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
