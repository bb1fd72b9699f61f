namespace CclAgent.Simulation.Calibration;

/// <summary>Which project target a row is checked against, decided by its message size.</summary>
public enum ToleranceKind
{
    /// <summary>Sizes ≥ 64 MiB: bus bandwidth within ±25%.</summary>
    Bandwidth,

    /// <summary>Sizes ≤ 64 KiB: latency within 2× (0.5 ≤ sim/published ≤ 2).</summary>
    Latency,

    /// <summary>Mid-size rows: reported, not checked (the CSV has none today).</summary>
    Unchecked,
}
