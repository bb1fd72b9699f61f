namespace CclAgent.Llm.Calls;

/// <summary>What one request produced: the reply text (null after a transport failure), usage and every HTTP attempt.</summary>
internal sealed record ChatTurnResult(string? Text, string? FinishReason, long? InputTokens, long? OutputTokens, IReadOnlyList<PackAttempt> Attempts, double LatencyMs);
