namespace CclAgent.Watch.Analysis;

/// <summary>Where a training run is, in words a person uses (rules in docs/watch.md).</summary>
public enum TrainingPhase
{
    Initializing,
    Warmup,
    LearningFast,
    StableConvergence,
    Plateau,
    OverfittingRisk,
    Diverging,
    Stalled,
    Converged,
}
