using System.Text.Json.Nodes;

namespace CclAgent.Incident.Agent;

/// <summary>What the agent is paged with: the symptom and pre-incident telemetry, and its bounds.</summary>
public sealed record IncidentRequest
{
    public JsonObject? PreTelemetry { get; init; }
    public string? Symptom { get; init; }

    /// <summary>Hard cap on rounds (1–10).</summary>
    public int MaxRounds { get; init; } = 10;

    /// <summary>Hard wall-clock bound; at it the best-effort result so far is returned.</summary>
    public TimeSpan? Timeout { get; init; }
}
