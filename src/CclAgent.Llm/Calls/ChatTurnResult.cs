using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Calls;

/// <summary>What one request produced: the reply text (null after a transport failure), usage and every HTTP attempt.</summary>
internal sealed record ChatTurnResult(string? Text, string? FinishReason, long? InputTokens, long? OutputTokens, IReadOnlyList<PackAttempt> Attempts, double LatencyMs)
{
    /// <summary>The whole reply (tool calls included), null after a transport failure; the tool-calling agent needs more than the text.</summary>
    public ChatResponse? Response { get; init; }

    /// <summary>Why there is no reply: the last attempt's error.</summary>
    public string Error => Attempts.Count > 0 ? Attempts[^1].Error ?? "no reply" : "no reply";

    /// <summary>The prompt-pack record of this turn, with the reply redacted.</summary>
    public PackTurn ToPackTurn(int turn, string kind, int estimatedInputTokens, Func<string, string> redact) => new()
    {
        Turn = turn,
        Kind = kind,
        EstimatedInputTokens = estimatedInputTokens,
        Attempts = Attempts,
        Response = Text is null ? null : redact(Text),
        FinishReason = FinishReason,
        LatencyMs = LatencyMs,
        InputTokens = InputTokens,
        OutputTokens = OutputTokens,
    };
}
