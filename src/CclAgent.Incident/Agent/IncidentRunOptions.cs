namespace CclAgent.Incident.Agent;

/// <summary>How one `incident` run is bounded and where its artifacts go.</summary>
public sealed record IncidentRunOptions
{
    public int MaxRounds { get; init; } = 10;
    public TimeSpan? Timeout { get; init; }

    /// <summary>result.json, report.md, trace/events.jsonl and llm/ go here; null writes nothing.</summary>
    public string? OutDirectory { get; init; }
    public string RunId { get; init; } = "incident";

    /// <summary>The model for path "model"; null or provider none runs the deterministic planner.</summary>
    public CclAgent.Llm.Clients.ModelConnection? Model { get; init; }
}
