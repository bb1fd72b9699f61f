namespace CclAgent.Cli.Replay;

/// <summary>The first place the replay and the record disagree: which step (null: the offline plan), its trace event, and both values.</summary>
internal sealed record ReplayDivergence(int? Step, string? EventId, string Field, string Recorded, string Replayed);
