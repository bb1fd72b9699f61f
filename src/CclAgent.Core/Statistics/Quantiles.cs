namespace CclAgent.Core.Statistics;

/// <summary>
/// Quantiles by linear interpolation between order statistics, and the median/MAD pair, over spans: the
/// allocation-free forms for callers that summarise a small window on every value (watch's detectors).
/// </summary>
public static class Quantiles
{
    /// <summary>The factor that turns a median absolute deviation into a standard deviation for normal data.</summary>
    public const double MadToSigma = 1.4826;

    /// <summary>The quantile <paramref name="q"/> (0…1) of ascending <paramref name="sorted"/> values; NaN when there are none.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    /// <summary>Sorts <paramref name="values"/> in place and returns their quantile <paramref name="q"/>.</summary>
    public static double OfInPlace(Span<double> values, double q)
    {
        values.Sort();
        return OfSorted(values, q);
    }

    /// <summary>
    /// The median and the MAD scaled by <see cref="MadToSigma"/> (a standard deviation that ignores outliers).
    /// <paramref name="values"/> is used as scratch: it ends up holding the sorted absolute deviations.
    /// </summary>
    public static (double Median, double Sigma) MedianAndSigmaInPlace(Span<double> values)
    {
        double median = OfInPlace(values, 0.5);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Abs(values[i] - median);
        }

        return (median, MadToSigma * OfInPlace(values, 0.5));
    }
}
