namespace CclAgent.Watch.Events;

/// <summary>Early-stop advice: further gain is unlikely; what stopping saves and which checkpoint to keep.</summary>
public sealed record AdviceEvent : WatchEvent
{
    public override string Type => "advice";

    public string Kind { get; init; } = "early_stop";

    public required string Metric { get; init; }

    public required double Best { get; init; }

    public required long BestLine { get; init; }

    public long? BestStep { get; init; }

    /// <summary>Estimated probability that the rest of the run beats the best by more than <see cref="MinDelta"/>.</summary>
    public required double ProbabilityOfImprovement { get; init; }

    /// <summary>The relative improvement that counts as "better".</summary>
    public required double MinDelta { get; init; }

    public long? RemainingIterations { get; init; }

    public double? GpuHoursSaved { get; init; }

    public required string Checkpoint { get; init; }

    public required string Message { get; init; }
}
