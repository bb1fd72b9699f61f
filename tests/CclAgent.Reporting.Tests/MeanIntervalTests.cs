using CclAgent.Reporting.Statistics;

namespace CclAgent.Reporting.Tests;

public sealed class MeanIntervalTests
{
    [Fact]
    public void Three_runs_give_the_student_t_interval_with_two_degrees_of_freedom()
    {
        MeanInterval ci = MeanInterval.Of([1.0, 2.0, 3.0]);

        ci.Mean.Should().Be(2.0);
        // s = 1, n = 3, t(0.975, 2) = 4.303: 4.303 / sqrt(3).
        ci.HalfWidth.Should().BeApproximately(2.4843, 1e-4);
        ci.Format("0.00").Should().Be("2.00 ± 2.48");
    }

    [Fact]
    public void One_run_has_a_mean_and_no_interval()
    {
        MeanInterval.Of([5.0]).Format("0.0").Should().Be("5.0");
    }
}
