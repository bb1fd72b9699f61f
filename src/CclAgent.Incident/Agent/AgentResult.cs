using System.Text.Json.Nodes;
using CclAgent.Incident.Classification;
using CclAgent.Incident.Planning;

namespace CclAgent.Incident.Agent;

/// <summary>The AgentResult of `ccl-agent incident --json` (schema: docs/incident.md, "Result").</summary>
public sealed record AgentResult
{
    public required IncidentDiagnosis Diagnosis { get; init; }
    public required FixPlan FixPlan { get; init; }
    public JsonObject? FixResult { get; init; }
    public JsonObject? PostTelemetry { get; init; }
    public required ValidationResult Validation { get; init; }
    public required IReadOnlyList<AgentTraceEntry> AgentTrace { get; init; }
    public required int Rounds { get; init; }
    public required AgentPath Path { get; init; }
}
