using System.Text.Json;

namespace CclAgent.Core.Tracing;

/// <summary>
/// One line of trace/events.jsonl. Spans are a "*.start" event whose id later events name as parent,
/// closed by a "*.end" event carrying duration_ms.
/// </summary>
public sealed record TraceEvent
{
    public int SchemaVersion { get; init; } = 1;
    public required DateTimeOffset Ts { get; init; }
    public required string RunId { get; init; }
    public required string EventId { get; init; }
    public string? ParentId { get; init; }
    public required string Phase { get; init; }
    public int? Step { get; init; }
    public required string Actor { get; init; }
    public required string Type { get; init; }
    public string Status { get; init; } = "ok";
    public double? DurationMs { get; init; }
    public JsonElement? Payload { get; init; }
    public IReadOnlyList<string>? Refs { get; init; }
}
