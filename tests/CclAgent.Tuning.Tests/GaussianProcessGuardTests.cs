using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Tests;

/// <summary>The surrogate's GP never crashes the run, whatever it is fed.</summary>
public sealed class GaussianProcessGuardTests
{
    [Fact]
    public void Non_finite_and_absurd_residuals_are_ignored_and_predictions_stay_finite()
    {
        var gp = new GaussianProcess(lengthScale: 0.45, minSignalVariance: 0.03 * 0.03);
        gp.Add([0.1, 0.2], Math.Log(20.0 / 19.0), 1e-4);

        Action feed = () =>
        {
            gp.Add([0.3, 0.2], Math.Log(-1000 / 19.0), 1e-4); // NaN: log of a negative time
            gp.Add([0.3, 0.2], double.NegativeInfinity, 1e-4);
            gp.Add([0.5, 0.5], 1e300, 1e-4);                  // spread overflows to infinity
            gp.Add([0.5, 0.5], -1e300, double.NaN);
        };

        feed.Should().NotThrow();
        (double mean, double variance) = gp.Predict([0.2, 0.2]);
        double.IsFinite(mean).Should().BeTrue();
        double.IsFinite(variance).Should().BeTrue();
        gp.Count.Should().Be(1);
    }

    [Fact]
    public void Duplicate_inputs_with_tiny_noise_and_wildly_different_outputs_do_not_crash_the_fit()
    {
        var gp = new GaussianProcess(lengthScale: 0.45, minSignalVariance: 0.03 * 0.03);

        Action feed = () =>
        {
            for (int i = 0; i < 6; i++)
            {
                gp.Add([0.25, 0.75], i % 2 == 0 ? -690 : 3, 0);
            }
        };

        feed.Should().NotThrow();
        double.IsFinite(gp.Predict([0.25, 0.75]).Mean).Should().BeTrue();
    }
}
