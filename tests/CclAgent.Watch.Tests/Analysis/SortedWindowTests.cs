using CclAgent.Watch.Analysis;

namespace CclAgent.Watch.Tests.Analysis;

/// <summary>The sorted window's median and MAD are exactly those of selection over a copy of the same window.</summary>
public sealed class SortedWindowTests
{
    [Theory]
    [InlineData(50, 1.0, 0.02, 0)]
    [InlineData(50, 0.001, 0.00001, 4)]
    [InlineData(20, 1000.0, 3.0, 2)]
    [InlineData(7, -5.0, 1.0, 0)]
    [InlineData(50, 2.0, 0.0, 3)]
    public void Median_and_sigma_are_bit_identical_to_selection_while_the_window_slides(int capacity, double level, double noise, int decimals)
    {
        var random = new Random(23);
        var sorted = new SortedWindow(capacity);
        var ring = new RingBuffer<double>(capacity);
        for (int i = 0; i < 3_000; i++)
        {
            // Rounded values repeat, as logged losses printed to 4 digits do: ties must not change the order statistics.
            double value = level + (noise * (random.NextDouble() - 0.5)) + (i % 301 == 0 ? 10 * Math.Abs(level) : 0);
            value = decimals > 0 ? Math.Round(value, decimals) : value;
            sorted.Add(value);
            ring.Add(value);

            (double median, double sigma) = sorted.MedianAndSigma();
            (double expectedMedian, double expectedSigma) = WindowStats.MedianAndSigma(ring);
            BitConverter.DoubleToInt64Bits(median).Should().Be(BitConverter.DoubleToInt64Bits(expectedMedian), "median after {0} values", i + 1);
            BitConverter.DoubleToInt64Bits(sigma).Should().Be(BitConverter.DoubleToInt64Bits(expectedSigma), "sigma after {0} values", i + 1);
        }
    }

    [Fact]
    public void Signed_zeros_in_the_window_give_the_results_selection_gives()
    {
        double[] values = [0.0, -0.0, 0.0, -0.0, 1.0, -0.0, 0.0, 2.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        var sorted = new SortedWindow(4);
        var ring = new RingBuffer<double>(4);
        foreach (double value in values)
        {
            sorted.Add(value);
            ring.Add(value);
            (double median, double sigma) = sorted.MedianAndSigma();
            (double expectedMedian, double expectedSigma) = WindowStats.MedianAndSigma(ring);
            BitConverter.DoubleToInt64Bits(median).Should().Be(BitConverter.DoubleToInt64Bits(expectedMedian));
            BitConverter.DoubleToInt64Bits(sigma).Should().Be(BitConverter.DoubleToInt64Bits(expectedSigma));
        }
    }

    [Fact]
    public void A_value_that_is_not_finite_is_refused()
    {
        var window = new SortedWindow(5);

        Action add = () => window.Add(double.NaN);

        add.Should().Throw<ArgumentOutOfRangeException>();
        window.Count.Should().Be(0);
    }
}
