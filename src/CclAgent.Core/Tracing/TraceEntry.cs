using System.Text.Json;

namespace CclAgent.Core.Tracing;

/// <summary>What a caller says about an event; the writer adds ids, time and run.</summary>
public sealed record TraceEntry(string Type, string Phase, string Actor)
{
    public int? Step { get; init; }
    public string Status { get; init; } = "ok";
    public double? DurationMs { get; init; }
    public string? ParentId { get; init; }
    public JsonElement? Payload { get; init; }
    public IReadOnlyList<string>? Refs { get; init; }
}
