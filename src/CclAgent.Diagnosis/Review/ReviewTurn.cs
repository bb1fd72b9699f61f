namespace CclAgent.Diagnosis.Review;

/// <summary>One request of the model review: its stage, whether it was a repair, how its reply parsed, and its tokens.</summary>
public sealed record ReviewTurn
{
    public required int Turn { get; init; }

    /// <summary>analyze_code | correlate | root_cause | recommendations.</summary>
    public required string Stage { get; init; }

    /// <summary>initial | repair.</summary>
    public required string Kind { get; init; }
    public required string CallId { get; init; }

    /// <summary>ok | invalid_json | schema_violation | not_parsed (no reply).</summary>
    public required string Parse { get; init; }
    public string? ParseError { get; init; }
    public string? Error { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public long TotalTokens => (InputTokens ?? 0) + (OutputTokens ?? 0);
    public double LatencyMs { get; init; }
}
