using System.Globalization;
using CclAgent.Core.Statistics;
using CclAgent.Watch.Events;

namespace CclAgent.Watch.Analysis;

/// <summary>
/// Estimates the probability that the rest of the run beats the best by more than min-delta: a least-squares line
/// through the recent values (evaluations, else the smoothed loss) is extrapolated over the remaining iterations, and
/// its uncertainty (residual noise plus the slope's standard error times the horizon) gives a normal probability.
/// </summary>
public sealed class EarlyStopAdvisor(WatchSettings settings)
{
    /// <summary>The probability of beating <paramref name="bestGain"/> by min-delta, from <paramref name="history"/> (higher-is-better values).</summary>
    public double ProbabilityOfImprovement(RingBuffer<SeriesPoint> history, double bestGain, double horizonSteps, double noise = 0)
    {
        int n = history.Count;
        if (n < 3)
        {
            return 1;
        }

        (double slope, double intercept, double residualSigma, double slopeError) = Fit(history);
        double lastStep = history.Newest.Step;
        double projected = intercept + (slope * (lastStep + Math.Max(0, horizonSteps)));
        double target = bestGain + (settings.MinDelta * Math.Max(Math.Abs(bestGain), 1e-12));
        double scatter = Math.Max(residualSigma, noise);
        double sigma = Math.Sqrt((scatter * scatter) + Math.Pow(slopeError * Math.Max(0, horizonSteps), 2));
        if (sigma <= 1e-15)
        {
            return projected > target ? 1 : 0;
        }

        return 1 - NormalDistribution.Cdf((target - projected) / sigma);
    }

    /// <summary>Builds the advice event when the probability is below the advice threshold; null otherwise.</summary>
    public AdviceEvent? Advise(AdviceInputs x)
    {
        double horizon = x.RemainingIterations is long r ? r : x.History.Newest.Step - x.History.Oldest.Step;
        double p = ProbabilityOfImprovement(x.History, x.BestGain, horizon, x.Noise);
        if (p >= settings.AdviceProbability)
        {
            return null;
        }

        double? gpuHours = x.RemainingIterations is long rem && x.SecondsPerIteration is double spi ? rem * spi * settings.Gpus / 3600.0 : null;
        var c = CultureInfo.InvariantCulture;
        string saved = gpuHours is double h ? string.Create(c, $"stopping now saves about {h:0.#} GPU-hours ({x.RemainingIterations} iterations × {x.SecondsPerIteration:0.###} s × {settings.Gpus} GPUs)") : "the remaining length of the run is unknown";
        string message = string.Create(c, $"further gain is unlikely: P({x.MetricName} improves by more than {settings.MinDelta:0.#%} over its best {x.Best:0.####}) ≈ {p:0.00}; {saved}; keep {x.Checkpoint}");
        return new AdviceEvent
        {
            Line = x.Line,
            Step = x.Step,
            Metric = x.MetricName,
            Best = x.Best,
            BestLine = x.BestLine,
            BestStep = x.BestStep,
            ProbabilityOfImprovement = p,
            MinDelta = settings.MinDelta,
            RemainingIterations = x.RemainingIterations,
            GpuHoursSaved = gpuHours,
            Checkpoint = x.Checkpoint,
            Message = message,
        };
    }

    /// <summary>
    /// Noise of a series from one point to the next, robustly: 1.4826 × the median absolute first difference / √2 (the
    /// standard deviation of independent noise; a steady trend adds little to first differences).
    /// </summary>
    public static double NoiseOf(RingBuffer<SeriesPoint> history)
    {
        int n = history.Count;
        if (n < 4)
        {
            return 0;
        }

        Span<double> differences = stackalloc double[n - 1];
        for (int i = 1; i < n; i++)
        {
            differences[i - 1] = Math.Abs(history[i].Value - history[i - 1].Value);
        }

        differences.Sort();
        double median = (n - 1) % 2 == 1 ? differences[(n - 1) / 2] : (differences[((n - 1) / 2) - 1] + differences[(n - 1) / 2]) / 2;
        return 1.4826 * median / Math.Sqrt(2);
    }

    private static (double Slope, double Intercept, double ResidualSigma, double SlopeError) Fit(RingBuffer<SeriesPoint> points)
    {
        int n = points.Count;
        double meanX = 0, meanY = 0;
        for (int i = 0; i < n; i++)
        {
            meanX += points[i].Step / n;
            meanY += points[i].Value / n;
        }

        double sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = points[i].Step - meanX;
            sxx += dx * dx;
            sxy += dx * (points[i].Value - meanY);
        }

        double slope = sxx > 0 ? sxy / sxx : 0;
        double intercept = meanY - (slope * meanX);
        double sse = 0;
        for (int i = 0; i < n; i++)
        {
            double residual = points[i].Value - (intercept + (slope * points[i].Step));
            sse += residual * residual;
        }

        double sigma = Math.Sqrt(sse / Math.Max(1, n - 2));
        return (slope, intercept, sigma, sxx > 0 ? sigma / Math.Sqrt(sxx) : 0);
    }
}
