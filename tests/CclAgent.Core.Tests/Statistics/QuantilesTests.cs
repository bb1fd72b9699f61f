using CclAgent.Core.Statistics;

namespace CclAgent.Core.Tests.Statistics;

public sealed class QuantilesTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 2.5)]
    [InlineData(0.9, 3.7)]
    [InlineData(1.0, 4.0)]
    public void Quantiles_interpolate_linearly_between_order_statistics(double q, double expected) =>
        Quantiles.OfSorted([1.0, 2.0, 3.0, 4.0], q).Should().BeApproximately(expected, 1e-12);

    [Fact]
    public void The_quantile_of_no_values_is_NaN() =>
        Quantiles.OfSorted([], 0.5).Should().Be(double.NaN);

    [Fact]
    public void OfInPlace_sorts_the_values_first()
    {
        double[] values = [9, 1, 5];

        Quantiles.OfInPlace(values, 0.5).Should().Be(5);
        values.Should().BeInAscendingOrder();
    }

    [Fact]
    public void Median_and_sigma_ignore_a_single_outlier()
    {
        double[] values = [10, 11, 9, 10, 1000];

        (double median, double sigma) = Quantiles.MedianAndSigmaInPlace(values);

        median.Should().Be(10);
        sigma.Should().BeApproximately(Quantiles.MadToSigma * 1, 1e-12);
    }

    [Fact]
    public void Median_and_sigma_by_selection_equal_those_of_sorting_bit_for_bit()
    {
        var random = new Random(15);
        for (int trial = 0; trial < 2000; trial++)
        {
            // Ties, even and odd lengths, and the window sizes watch uses (20, 50).
            double[] values = [.. Enumerable.Range(0, random.Next(1, 60)).Select(_ => Math.Round(random.NextDouble() * 10, random.Next(0, 3)))];
            double[] sorted = [.. values];
            Array.Sort(sorted);
            double median = Quantiles.OfSorted(sorted, 0.5);
            double[] deviations = [.. sorted.Select(v => Math.Abs(v - median))];
            Array.Sort(deviations);

            (double m, double sigma) = Quantiles.MedianAndSigmaInPlace(values);

            m.Should().Be(median);
            sigma.Should().Be(Quantiles.MadToSigma * Quantiles.OfSorted(deviations, 0.5));
        }
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.96, 0.975)]
    [InlineData(-1.96, 0.025)]
    public void The_normal_cdf_matches_the_table(double z, double p) =>
        NormalDistribution.Cdf(z).Should().BeApproximately(p, 1e-4);
}
