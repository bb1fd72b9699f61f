namespace CclAgent.Core.Statistics;

/// <summary>The standard normal distribution, for turning a z-score into a probability.</summary>
public static class NormalDistribution
{
    /// <summary>Standard normal CDF (Abramowitz &amp; Stegun 7.1.26 erf, |error| &lt; 1.5e-7).</summary>
    public static double Cdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + (0.3275911 * x));
        double erf = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
