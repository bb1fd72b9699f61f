namespace CclAgent.Llm.Agents;

/// <summary>
/// What a run produced. Never an exception for a model problem: a round cap, a timeout or a model failure is a
/// <see cref="Stop"/> reason, and the caller marks its validation "unknown" or falls back to its deterministic path.
/// </summary>
public sealed record AgentRunResult
{
    /// <summary>The model's final text (secrets masked); null unless <see cref="Stop"/> is <see cref="AgentStopReason.Completed"/>.</summary>
    public string? FinalText { get; init; }

    /// <summary>Model requests sent, the final one included; never more than the request's MaxRounds.</summary>
    public required int Rounds { get; init; }

    public required AgentStopReason Stop { get; init; }

    /// <summary>A sentence on why the run stopped early (masked), when it did.</summary>
    public string? StopDetail { get; init; }

    public required IReadOnlyList<AgentToolCall> ToolCalls { get; init; }

    public required IReadOnlyList<AgentRound> RoundLog { get; init; }

    /// <summary>True when the cap or the timeout cut the run short: the result is best-effort.</summary>
    public bool HitLimit => Stop is AgentStopReason.RoundCap or AgentStopReason.Timeout;
}
