using System.Text.Json.Nodes;

namespace CclAgent.Incident.Agent;

/// <summary>One tool call of the run: its round, tool, (masked) arguments, result status and duration.</summary>
public sealed record AgentTraceEntry(int Round, string Tool, JsonObject Args, string Status, double DurationMs)
{
    /// <summary>The structured error when the call failed or was refused.</summary>
    public JsonObject? Error { get; init; }
}
