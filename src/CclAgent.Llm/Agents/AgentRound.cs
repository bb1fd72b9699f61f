namespace CclAgent.Llm.Agents;

/// <summary>One model request of a run: its number, how long it took, what came back, and its prompt pack.</summary>
public sealed record AgentRound(int Round, double DurationMs, int ToolCallsRequested, string? FinishReason, string PackFile)
{
    /// <summary>The transport failure of this round, when it had one.</summary>
    public string? Error { get; init; }
}
