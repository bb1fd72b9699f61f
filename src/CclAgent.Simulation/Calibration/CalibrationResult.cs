namespace CclAgent.Simulation.Calibration;

/// <summary>
/// Published versus simulated for one row. <see cref="Ratio"/> is sim/published of bus bandwidth for
/// bandwidth rows and of time for latency rows, so 1.0 is perfect in both cases.
/// </summary>
public sealed record CalibrationResult(
    PublishedRow Published,
    ToleranceKind Kind,
    double SimTimeUs,
    double SimBusBwGbps,
    string Decision,
    string? Excluded)
{
    public double Ratio => Kind == ToleranceKind.Bandwidth
        ? SimBusBwGbps / Published.BusBwGbps
        : SimTimeUs / Published.TimeUs;

    /// <summary>Signed relative error of the checked quantity (sim/published − 1).</summary>
    public double Error => Ratio - 1;

    public bool WithinTolerance => Kind switch
    {
        ToleranceKind.Bandwidth => Math.Abs(Error) <= CalibrationRunner.BandwidthTolerance,
        ToleranceKind.Latency => Ratio is >= 1 / CalibrationRunner.LatencyFactor and <= CalibrationRunner.LatencyFactor,
        _ => true,
    };

    public bool Checked => Excluded is null && Kind != ToleranceKind.Unchecked;
}
