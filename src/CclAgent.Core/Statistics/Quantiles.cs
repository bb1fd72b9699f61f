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

    /// <summary>
    /// The median of already sorted values: the middle one, or the mean of the middle two. NaN when there are none.
    /// (The midpoint is computed as their mean, which <see cref="OfSorted"/>'s interpolation can miss by an ulp.)
    /// </summary>
    public static double MedianOfSorted(ReadOnlySpan<double> sorted)
    {
        int n = sorted.Length;
        return n == 0 ? double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Sorts <paramref name="values"/> in place and returns their quantile <paramref name="q"/>.</summary>
    public static double OfInPlace(Span<double> values, double q)
    {
        values.Sort();
        return OfSorted(values, q);
    }

    /// <summary>
    /// The median and the MAD scaled by <see cref="MadToSigma"/> (a standard deviation that ignores outliers).
    /// <paramref name="values"/> is used as scratch and left reordered. Selection instead of sorting (watch's detectors
    /// call this every few values of a million-line log); the order statistics, and so the results, are exactly those of
    /// a sort.
    /// </summary>
    public static (double Median, double Sigma) MedianAndSigmaInPlace(Span<double> values)
    {
        if (values.Length == 0 || HasNaN(values))
        {
            // Sorting orders NaN first; keep its results exactly rather than teach selection that order.
            double sortedMedian = OfInPlace(values, 0.5);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Math.Abs(values[i] - sortedMedian);
            }

            return (sortedMedian, MadToSigma * OfInPlace(values, 0.5));
        }

        double median = MedianBySelection(values);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Abs(values[i] - median);
        }

        return (median, MadToSigma * MedianBySelection(values));
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What <see cref="OfSorted"/> gives for q = 0.5, from the two middle order statistics found by selection.</summary>
    private static double MedianBySelection(Span<double> values)
    {
        double position = 0.5 * (values.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, values.Length - 1);
        Select(values, lower);
        double low = values[lower];
        double high = low;
        if (upper != lower)
        {
            // After selecting `lower`, everything to its right is >= it: the next order statistic is their minimum.
            high = values[upper];
            for (int i = upper + 1; i < values.Length; i++)
            {
                high = Math.Min(high, values[i]);
            }
        }

        return low + ((position - lower) * (high - low));
    }

    /// <summary>Hoare's quickselect: puts the k-th smallest value at index k, smaller ones before it, larger after.</summary>
    private static void Select(Span<double> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (left < right)
        {
            double pivot = values[left + ((right - left) / 2)];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return;
            }
        }
    }
}
