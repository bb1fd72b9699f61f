using System.Runtime.InteropServices;

namespace CclAgent.Core.Statistics;

/// <summary>
/// Robust statistics of per-iteration samples: the median decides, p90 and a trimmed mean describe,
/// and the standard error of the median is the noise a difference must beat.
/// </summary>
public sealed record RobustStats(int Count, double Median, double P90, double TrimmedMean, double Min, double Max, double StandardErrorOfMedian)
{
    /// <summary>Standard error of the median relative to the median.</summary>
    public double RelativeError => Median > 0 ? StandardErrorOfMedian / Median : 0;

    /// <summary>The statistics of <paramref name="samples"/>, in any order; <see cref="ArgumentException"/> when there are none.</summary>
    public static RobustStats Of(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("no samples", nameof(samples));
        }

        double[] sorted = samples.Order().ToArray();
        double median = Quantile(sorted, 0.5);
        int trim = sorted.Length / 10;
        double trimmed = sorted.Skip(trim).Take(sorted.Length - (2 * trim)).Average();

        // MAD-based sigma is immune to stragglers; the median's standard error is ~1.2533 σ/√n.
        double mad = Quantile(sorted.Select(x => Math.Abs(x - median)).Order().ToArray(), 0.5);
        double sigma = 1.4826 * mad;
        double se = 1.2533 * sigma / Math.Sqrt(sorted.Length);
        return new RobustStats(sorted.Length, median, Quantile(sorted, 0.9), trimmed, sorted[0], sorted[^1], se);
    }

    /// <summary>The quantile <paramref name="q"/> of already sorted samples, by <see cref="Quantiles.OfSorted"/>.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);

        // A single sample is returned as it is: the interpolation would turn an infinite one into NaN, and
        // the tuning numbers have always been computed this way.
        if (sorted.Count == 1)
        {
            return sorted[0];
        }

        return Quantiles.OfSorted(AsSpan(sorted), q);
    }

    /// <summary>True when <paramref name="candidate"/> is faster than <paramref name="incumbent"/> beyond measured noise (z ≥ 2) and by at least 0.3%.</summary>
    public static bool SignificantlyFaster(RobustStats candidate, RobustStats incumbent)
    {
        double difference = incumbent.Median - candidate.Median;
        double noise = Math.Sqrt((candidate.StandardErrorOfMedian * candidate.StandardErrorOfMedian) + (incumbent.StandardErrorOfMedian * incumbent.StandardErrorOfMedian));
        return difference > Math.Max(2 * noise, 0.003 * incumbent.Median);
    }

    private static ReadOnlySpan<double> AsSpan(IReadOnlyList<double> values) => values switch
    {
        double[] array => array,
        List<double> list => CollectionsMarshal.AsSpan(list),
        _ => values.ToArray(),
    };
}
