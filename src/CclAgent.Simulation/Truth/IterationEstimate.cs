namespace CclAgent.Simulation.Truth;

/// <summary>The noise-free time of one training iteration under a configuration, with its parts.</summary>
public sealed record IterationEstimate(
    Outcome Outcome,
    double IterationMs,
    double ComputeMs,
    double SmContentionMs,
    double ExposedCommMs,
    double OverlappedCommMs,
    IReadOnlyList<CollectiveTiming> Collectives)
{
    public static IterationEstimate Failed(Outcome outcome) => new(outcome, double.PositiveInfinity, 0, 0, 0, 0, []);
}
