namespace CclAgent.Tuning.CrossRun;

/// <summary>postrun/surrogate_training_report.json: what the cross-run model was trained on and how well it fits held-out trials.</summary>
internal sealed record SurrogateTrainingReport
{
    public required string Trainer { get; init; }
    public required int Samples { get; init; }
    public required int Runs { get; init; }
    public required int Contexts { get; init; }
    public required double MinSimilarity { get; init; }
    public required int TrainSamples { get; init; }
    public required int HoldoutSamples { get; init; }
    public double? HoldoutRSquared { get; init; }
    public double? HoldoutMeanAbsoluteError { get; init; }
    public required double TrainRSquared { get; init; }
    public required string Label { get; init; }
    public required IReadOnlyList<string> Features { get; init; }
    public string? ModelPath { get; init; }
    public string? SkippedReason { get; init; }
}
