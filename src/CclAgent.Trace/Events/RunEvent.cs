namespace CclAgent.Trace.Events;

/// <summary>One line of a ccl-agent run's <c>trace/events.jsonl</c>: the fields the analyses use, and its line number.</summary>
internal sealed record RunEvent(string Id, string? Parent, string Phase, int? Step, string Type, string Status, double? DurationMs, int Line);
