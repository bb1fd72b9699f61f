using System.Text.Json;
using System.Text.Json.Serialization;

namespace CclAgent.Core.Tracing;

/// <summary>
/// One line of trace/events.jsonl. Spans are a "*.start" event whose id later events name as parent,
/// closed by a "*.end" event carrying duration_ms. Every line carries all 13 fields (null where not applicable).
/// </summary>
public sealed record TraceEvent
{
    public int SchemaVersion { get; init; } = 1;
    public required DateTimeOffset Ts { get; init; }
    public required string RunId { get; init; }
    public required string EventId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ParentId { get; init; }
    public required string Phase { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Step { get; init; }
    public required string Actor { get; init; }
    public required string Type { get; init; }
    public string Status { get; init; } = "ok";
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? DurationMs { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonElement? Payload { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<string>? Refs { get; init; }
}
