namespace CclAgent.Incident.Agent;

/// <summary>A finished run: its result, the report text, and the number of refused repeated calls.</summary>
public sealed record IncidentOutcome(AgentResult Result, string Report, int RepeatedCalls, string ScenarioName);
