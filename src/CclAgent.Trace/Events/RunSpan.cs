namespace CclAgent.Trace.Events;

/// <summary>
/// One unit of a run's work: a span folded from its start and end events (<c>X.start</c> … <c>X.end</c>,
/// <c>tool.call</c> … <c>tool.result</c>), or a single event. Times in ms from the run's first event.
/// </summary>
internal sealed record RunSpan(string Id, string? Parent, string Type, string Status, double StartMs, double EndMs, double? DurationMs, int Line)
{
    public IReadOnlyList<string> Refs { get; init; } = [];

    public string Actor { get; init; } = "";
}
