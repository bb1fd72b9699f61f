namespace CclAgent.Incident.Agent;

/// <summary>A finished run: its result, the report text, the number of refused repeated calls, and why the model path fell back (if it did).</summary>
public sealed record IncidentOutcome(AgentResult Result, string Report, int RepeatedCalls, string ScenarioName, string? Fallback = null);
