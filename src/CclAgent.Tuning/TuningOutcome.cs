using CclAgent.Tuning.Records;

namespace CclAgent.Tuning;

/// <summary>How a tuning run ended: a summary (also on cancellation), or the reason the job could not run at all.</summary>
public sealed record TuningOutcome(TuningSummary? Summary, bool Cancelled, string? JobFailure, IReadOnlyList<StepRecord> Steps)
{
    public bool Succeeded => Summary is not null && !Cancelled && JobFailure is null && !Preempted;

    /// <summary>Stopped between steps on request (<see cref="TuningContext.StopAfterStep"/>): no post-run, so <c>tune --resume</c> continues it.</summary>
    public bool Preempted { get; init; }
}
