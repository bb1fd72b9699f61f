using CclAgent.Core.Statistics;

namespace CclAgent.Core.Tests.Statistics;

public sealed class RobustStatsTests
{
    [Fact]
    public void Median_p90_and_trimmed_mean_match_hand_computed_values()
    {
        double[] samples = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];

        RobustStats stats = RobustStats.Of(samples);

        stats.Count.Should().Be(10);
        stats.Median.Should().BeApproximately(5.5, 1e-9);

        // p90 by linear interpolation over 1..10: position 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9).
        stats.P90.Should().BeApproximately(9.1, 1e-9);

        // 10% trimmed on each side: mean of 2..9.
        stats.TrimmedMean.Should().BeApproximately(5.5, 1e-9);
        stats.Min.Should().Be(1);
        stats.Max.Should().Be(10);
        stats.StandardErrorOfMedian.Should().BePositive();
    }

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_sample()
    {
        RobustStats stats = RobustStats.Of([3.0, 1.0, 2.0]);

        stats.Median.Should().Be(2.0);
    }

    [Fact]
    public void Straggler_outliers_do_not_move_the_median()
    {
        double[] clean = Enumerable.Range(0, 20).Select(i => 100.0 + (i % 5 * 0.1)).ToArray();
        double[] withStragglers = clean.ToArray();
        withStragglers[3] = 400;
        withStragglers[11] = 900;

        RobustStats a = RobustStats.Of(clean);
        RobustStats b = RobustStats.Of(withStragglers);

        Math.Abs(a.Median - b.Median).Should().BeInRange(0, 0.11);
        b.Max.Should().Be(900);
        b.StandardErrorOfMedian.Should().BeLessThan(1, "the MAD-based noise estimate must ignore stragglers");
    }

    [Fact]
    public void No_samples_is_rejected()
    {
        Action act = () => RobustStats.Of([]);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_single_sample_is_its_own_median_even_when_infinite()
    {
        RobustStats.Of([double.PositiveInfinity]).Median.Should().Be(double.PositiveInfinity);
        RobustStats.Quantile([7.0], 0.9).Should().Be(7.0);
    }

    [Fact]
    public void Quantile_of_a_list_equals_the_span_quantile_bit_for_bit()
    {
        double[] sorted = Noisy(100, seed: 5).Order().ToArray();

        foreach (double q in new[] { 0.1, 0.5, 0.9 })
        {
            RobustStats.Quantile(sorted.ToList(), q).Should().Be(Quantiles.OfSorted(sorted, q));
        }
    }

    [Fact]
    public void SignificantlyFaster_is_false_for_equal_distributions()
    {
        double[] samples = Noisy(100, seed: 7);
        RobustStats a = RobustStats.Of(samples);
        RobustStats b = RobustStats.Of(samples.Reverse().ToArray());

        RobustStats.SignificantlyFaster(a, b).Should().BeFalse();
        RobustStats.SignificantlyFaster(b, a).Should().BeFalse();
    }

    [Fact]
    public void SignificantlyFaster_is_false_for_two_draws_of_the_same_distribution()
    {
        RobustStats a = RobustStats.Of(Noisy(100, seed: 1));
        RobustStats b = RobustStats.Of(Noisy(100, seed: 2));

        RobustStats.SignificantlyFaster(a, b).Should().BeFalse();
        RobustStats.SignificantlyFaster(b, a).Should().BeFalse();
    }

    [Fact]
    public void SignificantlyFaster_is_true_for_a_clear_five_percent_gap()
    {
        RobustStats incumbent = RobustStats.Of(Noisy(100, seed: 3));
        RobustStats candidate = RobustStats.Of(Noisy(95, seed: 4));

        RobustStats.SignificantlyFaster(candidate, incumbent).Should().BeTrue();
        RobustStats.SignificantlyFaster(incumbent, candidate).Should().BeFalse();
    }

    /// <summary>20 samples with ≈1% log-normal-ish noise, seeded.</summary>
    private static double[] Noisy(double center, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 20).Select(_ => center * (1 + (0.01 * (random.NextDouble() - 0.5) * 2))).ToArray();
    }
}
