using CclAgent.Watch.Analysis;

namespace CclAgent.Watch.Tests.Analysis;

/// <summary>The O(1) running fit agrees with a direct least-squares pass over the same window, at every scale.</summary>
public sealed class RunningLineFitTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1000.0, 0.001)]
    [InlineData(0.001, 0.00001)]
    [InlineData(-5.0, 3.0)]
    public void Line_and_slope_t_match_a_direct_fit_of_the_window_after_many_slides(double level, double noise)
    {
        var random = new Random(11);
        var fit = new RunningLineFit(50);
        var window = new Queue<double>();
        for (int i = 0; i < 5_000; i++)
        {
            double value = level + (noise * Math.Sin(i / 40.0)) + (noise * 0.3 * (random.NextDouble() - 0.5));
            fit.Add(value);
            window.Enqueue(value);
            if (window.Count > 50)
            {
                window.Dequeue();
            }

            if (window.Count >= 3 && (i % 97 == 0 || i > 4_990))
            {
                (double intercept, double slope, double t) = Direct(window.ToArray());
                (double runningIntercept, double runningSlope) = fit.Line();
                runningIntercept.Should().BeApproximately(intercept, 1e-9 * Math.Max(Math.Abs(level), 1));
                runningSlope.Should().BeApproximately(slope, 1e-9 * Math.Max(noise, 1e-12) + 1e-12);
                fit.SlopeT().Should().BeApproximately(t, 1e-6 * Math.Max(Math.Abs(t), 1));
            }
        }
    }

    [Fact]
    public void A_flat_series_has_no_trend_and_a_perfect_line_an_unmistakable_one()
    {
        var flat = new RunningLineFit(20);
        var line = new RunningLineFit(20);
        for (int i = 0; i < 130; i++)
        {
            flat.Add(0.7);
            line.Add(10 - (0.25 * i));
        }

        flat.SlopeT().Should().Be(0);
        flat.Line().Slope.Should().BeApproximately(0, 1e-15);
        line.SlopeT().Should().Be(-1e6);
        line.Line().Slope.Should().BeApproximately(-0.25, 1e-12);
    }

    private static (double Intercept, double Slope, double T) Direct(double[] y)
    {
        int n = y.Length;
        double meanX = (n - 1) / 2.0, meanY = y.Average();
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (i - meanX) * (y[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }

        double slope = sxy / sxx;
        double sse = Enumerable.Range(0, n).Sum(i => Math.Pow(y[i] - (meanY + (slope * (i - meanX))), 2));
        return (meanY - (slope * meanX), slope, slope / Math.Sqrt(sse / (n - 2) / sxx));
    }
}
