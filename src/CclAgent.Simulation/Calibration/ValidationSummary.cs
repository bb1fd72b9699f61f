namespace CclAgent.Simulation.Calibration;

/// <summary>The headline numbers over the non-excluded validation cases.</summary>
public sealed record ValidationSummary(
    int Cases,
    int BandwidthCases,
    int BandwidthWithinTolerance,
    double WorstBandwidthFactor,
    string? WorstBandwidthCase,
    int LatencyCases,
    int LatencyWithinTolerance,
    int AlgorithmShown,
    int AlgorithmRight)
{
    /// <summary>
    /// Builds the summary. The worst factor is max(ratio, 1/ratio) over every large-message row, so an
    /// under-prediction counts as much as an over-prediction.
    /// </summary>
    public static ValidationSummary From(IReadOnlyList<ValidationCaseResult> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        List<ValidationCaseResult> live = cases.Where(c => c.Excluded is null).ToList();
        List<ValidationCaseResult> bw = live.Where(c => c.BandwidthMedianRatio is not null).ToList();
        List<ValidationCaseResult> lat = live.Where(c => c.LatencyWorstRatio is not null).ToList();
        List<ValidationCaseResult> algo = live.Where(c => c.AlgorithmRight is not null).ToList();
        ValidationCaseResult? worst = bw.MaxBy(c => Factor(c.BandwidthWorstRatio!.Value));
        return new ValidationSummary(
            live.Count,
            bw.Count,
            bw.Count(c => c.BandwidthWithinTolerance),
            worst is null ? 1 : Factor(worst.BandwidthWorstRatio!.Value),
            worst?.Case,
            lat.Count,
            lat.Count(c => c.LatencyWithinTolerance),
            algo.Count,
            algo.Count(c => c.AlgorithmRight == true));
    }

    /// <summary>Symmetric error factor: 0.5 and 2.0 are equally wrong.</summary>
    public static double Factor(double ratio) => Math.Max(ratio, 1 / ratio);
}
