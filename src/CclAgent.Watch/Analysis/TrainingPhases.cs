namespace CclAgent.Watch.Analysis;

/// <summary>The printed names of <see cref="TrainingPhase"/> (<c>LEARNING_FAST</c>…).</summary>
public static class TrainingPhases
{
    public static string Name(TrainingPhase phase) => phase switch
    {
        TrainingPhase.Initializing => "INITIALIZING",
        TrainingPhase.Warmup => "WARMUP",
        TrainingPhase.LearningFast => "LEARNING_FAST",
        TrainingPhase.StableConvergence => "STABLE_CONVERGENCE",
        TrainingPhase.Plateau => "PLATEAU",
        TrainingPhase.OverfittingRisk => "OVERFITTING_RISK",
        TrainingPhase.Diverging => "DIVERGING",
        TrainingPhase.Stalled => "STALLED",
        TrainingPhase.Converged => "CONVERGED",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };
}
