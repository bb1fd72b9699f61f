using System.Globalization;

namespace CclAgent.Reporting.Statistics;

/// <summary>Mean and the half-width of its 95 % confidence interval (Student's t), across repeated runs of one workload.</summary>
internal readonly record struct MeanInterval(double Mean, double HalfWidth, int Count)
{
    // Two-sided 97.5 % quantiles of Student's t for 1…30 degrees of freedom; beyond 30 the normal 1.96 is close enough.
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    public static MeanInterval Of(IReadOnlyCollection<double> values)
    {
        int n = values.Count;
        if (n == 0)
        {
            return new MeanInterval(double.NaN, double.NaN, 0);
        }

        double mean = values.Average();
        if (n == 1)
        {
            return new MeanInterval(mean, double.NaN, 1);
        }

        double variance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        double t = n - 1 <= T975.Length ? T975[n - 2] : 1.96;
        return new MeanInterval(mean, t * Math.Sqrt(variance / n), n);
    }

    public string Format(string format) =>
        double.IsNaN(HalfWidth)
            ? Mean.ToString(format, CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {HalfWidth.ToString(format, CultureInfo.InvariantCulture)}");
}
