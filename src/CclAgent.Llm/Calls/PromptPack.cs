namespace CclAgent.Llm.Calls;

/// <summary>
/// llm/call_&lt;id&gt;.json: everything about one model call, so a reader can see exactly what the model
/// was shown, what it answered, and what the agent made of it.
/// </summary>
public sealed record PromptPack
{
    public required string CallId { get; init; }
    public required string Purpose { get; init; }
    public required string Phase { get; init; }
    public int? Step { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required string Endpoint { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required PackRequestOptions RequestOptions { get; init; }
    public required PackContextWindow ContextWindow { get; init; }

    /// <summary>The whole conversation: system, user, the model's replies and the repair request if there was one.</summary>
    public required IReadOnlyList<PackMessage> Messages { get; init; }
    public required IReadOnlyList<PackTurn> Turns { get; init; }

    /// <summary>accepted | partially_accepted | discarded | error; an agent round: tool_calls | final | error.</summary>
    public required string Outcome { get; init; }
    public string? OutcomeReason { get; init; }
    public required double LatencyMs { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
}
