namespace CclAgent.Cli.Replay;

/// <summary>
/// The clock of a replay: "now" is the recorded run's start, so what decays with age (a rule's score) is weighed as the
/// run weighed it, not as it would be today. Elapsed time still runs, for the durations the engine measures.
/// </summary>
internal sealed class RecordedClock(DateTimeOffset startedAt) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => startedAt;
}
