namespace CclAgent.Simulation.Calibration;

/// <summary>
/// One held-out validation case (one published platform/run, several sizes): how far the simulator is from it.
/// Ratios are sim/published; null where the case has no row of that kind or every row of it is excluded.
/// </summary>
public sealed record ValidationCaseResult(
    string Case,
    string Source,
    IReadOnlyList<CalibrationResult> Rows,
    double? BandwidthMedianRatio,
    double? BandwidthWorstRatio,
    double? LatencyWorstRatio,
    string? PublishedAlgorithm,
    string? SimulatedAlgorithm,
    string? Excluded)
{
    /// <summary>The target: median large-message busbw within ±25%.</summary>
    public bool BandwidthWithinTolerance =>
        BandwidthMedianRatio is double r && Math.Abs(r - 1) <= CalibrationRunner.BandwidthTolerance;

    /// <summary>The target: small-message latency within 2× (judged on the worst small row).</summary>
    public bool LatencyWithinTolerance =>
        LatencyWorstRatio is double r && r >= 1 / CalibrationRunner.LatencyFactor && r <= CalibrationRunner.LatencyFactor;

    /// <summary>Null where the source does not show NCCL's choice.</summary>
    public bool? AlgorithmRight => PublishedAlgorithm is null || SimulatedAlgorithm is null
        ? null
        : string.Equals(PublishedAlgorithm, SimulatedAlgorithm, StringComparison.OrdinalIgnoreCase);
}
