using CclAgent.Watch.Analysis;

namespace CclAgent.Watch.Events;

/// <summary>The run moved from one phase to another, with the reason in words and numbers.</summary>
public sealed record PhaseChangeEvent : WatchEvent
{
    public override string Type => "phase_change";

    public required TrainingPhase From { get; init; }

    public required TrainingPhase To { get; init; }

    public required string Reason { get; init; }
}
