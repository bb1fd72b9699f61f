using CclAgent.Tuning.Measurement;

namespace CclAgent.Tuning.Tests;

public sealed class RobustStatsTests
{
    [Fact]
    public void Median_p90_and_trimmed_mean_match_hand_computed_values()
    {
        double[] samples = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];

        RobustStats stats = RobustStats.Of(samples);

        Assert.Equal(10, stats.Count);
        Assert.Equal(5.5, stats.Median, 9);

        // p90 by linear interpolation over 1..10: position 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9).
        Assert.Equal(9.1, stats.P90, 9);

        // 10% trimmed on each side: mean of 2..9.
        Assert.Equal(5.5, stats.TrimmedMean, 9);
        Assert.Equal(1, stats.Min);
        Assert.Equal(10, stats.Max);
        Assert.True(stats.StandardErrorOfMedian > 0);
    }

    [Fact]
    public void Median_of_an_odd_count_is_the_middle_sample()
    {
        RobustStats stats = RobustStats.Of([3.0, 1.0, 2.0]);

        Assert.Equal(2.0, stats.Median, 12);
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

        Assert.InRange(Math.Abs(a.Median - b.Median), 0, 0.11);
        Assert.Equal(900, b.Max);
        Assert.True(b.StandardErrorOfMedian < 1, "MAD-based noise estimate must ignore stragglers");
    }

    [Fact]
    public void No_samples_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => RobustStats.Of([]));
    }

    [Fact]
    public void SignificantlyFaster_is_false_for_equal_distributions()
    {
        double[] samples = Noisy(100, seed: 7);
        RobustStats a = RobustStats.Of(samples);
        RobustStats b = RobustStats.Of(samples.Reverse().ToArray());

        Assert.False(RobustStats.SignificantlyFaster(a, b));
        Assert.False(RobustStats.SignificantlyFaster(b, a));
    }

    [Fact]
    public void SignificantlyFaster_is_false_for_two_draws_of_the_same_distribution()
    {
        RobustStats a = RobustStats.Of(Noisy(100, seed: 1));
        RobustStats b = RobustStats.Of(Noisy(100, seed: 2));

        Assert.False(RobustStats.SignificantlyFaster(a, b));
        Assert.False(RobustStats.SignificantlyFaster(b, a));
    }

    [Fact]
    public void SignificantlyFaster_is_true_for_a_clear_five_percent_gap()
    {
        RobustStats incumbent = RobustStats.Of(Noisy(100, seed: 3));
        RobustStats candidate = RobustStats.Of(Noisy(95, seed: 4));

        Assert.True(RobustStats.SignificantlyFaster(candidate, incumbent));
        Assert.False(RobustStats.SignificantlyFaster(incumbent, candidate));
    }

    /// <summary>20 samples with ≈1% log-normal-ish noise, seeded.</summary>
    private static double[] Noisy(double center, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 20).Select(_ => center * (1 + (0.01 * (random.NextDouble() - 0.5) * 2))).ToArray();
    }
}
