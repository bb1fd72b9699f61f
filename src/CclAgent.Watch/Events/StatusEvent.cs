using CclAgent.Watch.Analysis;

namespace CclAgent.Watch.Events;

/// <summary>A periodic snapshot: phase, latest and smoothed loss, speed, ETA, best metric.</summary>
public sealed record StatusEvent : WatchEvent
{
    public override string Type => "status";

    public required TrainingPhase Phase { get; init; }

    public long? MaxStep { get; init; }

    public double? Epoch { get; init; }

    public double? Loss { get; init; }

    public double? LossSmoothed { get; init; }

    public double? LearningRate { get; init; }

    public double? GradNorm { get; init; }

    public double? SecondsPerIteration { get; init; }

    public EtaEstimate? Eta { get; init; }

    public BestMetric? Best { get; init; }

    public long Records { get; init; }
}
