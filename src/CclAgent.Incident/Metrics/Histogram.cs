namespace CclAgent.Incident.Metrics;

/// <summary>
/// A Prometheus histogram summed over its label sets (every model_name, every engine): cumulative buckets by upper
/// bound, _sum and _count. Quantiles interpolate linearly inside a bucket, as PromQL's histogram_quantile does.
/// </summary>
internal sealed class Histogram
{
    private readonly SortedDictionary<double, double> _buckets;

    public Histogram(SortedDictionary<double, double> buckets, double sum, double count)
    {
        _buckets = buckets;
        Sum = sum;
        Count = count;
    }

    public double Sum { get; }

    public double Count { get; }

    public double? Mean => Count > 0 ? Sum / Count : null;

    public double? Quantile(double q)
    {
        if (_buckets.Count == 0)
        {
            return null;
        }

        double total = _buckets.Last().Value;
        if (total <= 0)
        {
            return null;
        }

        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        foreach ((double bound, double cumulative) in _buckets)
        {
            if (cumulative >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    // The quantile lies above the highest finite bound: that bound is all that can be said.
                    return lowerBound;
                }

                double inBucket = cumulative - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount) / inBucket);
            }

            lowerBound = bound;
            lowerCount = cumulative;
        }

        return lowerBound;
    }

    /// <summary>The histogram <paramref name="family"/> from parsed samples, or null when it has no buckets.</summary>
    public static Histogram? From(IReadOnlyList<MetricSample> samples, string family)
    {
        var buckets = new SortedDictionary<double, double>();
        double sum = 0;
        double count = 0;
        foreach (MetricSample s in samples)
        {
            if (s.Name == family + "_bucket" && s.Labels.TryGetValue("le", out string? le) && TryBound(le, out double bound))
            {
                buckets[bound] = buckets.GetValueOrDefault(bound) + s.Value;
            }
            else if (s.Name == family + "_sum")
            {
                sum += s.Value;
            }
            else if (s.Name == family + "_count")
            {
                count += s.Value;
            }
        }

        return buckets.Count == 0 && count == 0 ? null : new Histogram(buckets, sum, count);
    }

    private static bool TryBound(string le, out double bound)
    {
        if (le == "+Inf")
        {
            bound = double.PositiveInfinity;
            return true;
        }

        return double.TryParse(le, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out bound);
    }
}
