namespace CclAgent.Simulation.Calibration;

/// <summary>The root of bench/calibration/calibration_clusters.json.</summary>
public sealed record CalibrationFile
{
    public IReadOnlyList<CalibrationCase>? Rows { get; init; }
}
