using CclAgent.Llm.Replies;

namespace CclAgent.Llm.Calls;

/// <summary>One request/reply exchange inside a call: the initial question or the single repair turn.</summary>
public sealed record PackTurn
{
    public required int Turn { get; init; }

    /// <summary>initial | repair.</summary>
    public required string Kind { get; init; }
    public required int EstimatedInputTokens { get; init; }
    public IReadOnlyList<PackAttempt> Attempts { get; init; } = [];
    public string? Response { get; init; }
    public string? FinishReason { get; init; }
    public double LatencyMs { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }

    /// <summary>ok | invalid_json | schema_violation | not_parsed (no reply).</summary>
    public string Parse { get; init; } = "not_parsed";
    public string? ParseError { get; init; }
    public ReplyValidation? Validation { get; init; }
}
