namespace CclAgent.Trace.Events;

/// <summary>
/// One line of a ccl-agent run's <c>trace/events.jsonl</c>: the fields the analyses use, and its line number.
/// <see cref="Ts"/> is when the line was written: the end of anything that carries a duration.
/// </summary>
internal sealed record RunEvent(string Id, string? Parent, string Phase, int? Step, string Type, string Status, double? DurationMs, int Line)
{
    public DateTimeOffset? Ts { get; init; }

    /// <summary>Who wrote it (<c>planner</c>, <c>runner</c>, <c>memory</c>…): tool calls of different actors are different work.</summary>
    public string Actor { get; init; } = "";

    /// <summary>Evidence ids the event produced or used (<c>tool:…</c>, <c>metric:…</c>, <c>llm:…</c>): data-flow links.</summary>
    public IReadOnlyList<string> Refs { get; init; } = [];
}
