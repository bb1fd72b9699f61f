namespace CclAgent.Bench.Strategies;

/// <summary>
/// One job run a strategy paid for: what it applied, what it measured, the simulator's noise-free
/// truth for it, and the configuration the strategy would deploy after this trial (its incumbent).
/// </summary>
public sealed record TrialPoint(
    int Trial,
    string ConfigKey,
    double? MeasuredMs,
    double TrueMs,
    bool Hazardous,
    double Risk,
    string IncumbentKey,
    double IncumbentTrueMs)
{
    /// <summary>Cluster seconds this trial was charged: a job restart plus its iterations, or only the iterations it needed in-job.</summary>
    public double ClusterSeconds { get; init; }
}
