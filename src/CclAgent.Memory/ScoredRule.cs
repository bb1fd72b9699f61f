namespace CclAgent.Memory;

/// <summary>A rule retrieved for a context, with the parts of its score kept apart for explanations.</summary>
public sealed record ScoredRule
{
    public required RuleRecord Rule { get; init; }

    public required double Similarity { get; init; }

    /// <summary>exp(-age_days / 30) from the rule's last sighting.</summary>
    public required double Recency { get; init; }

    /// <summary>(successes + 1) / (successes + failures + 2), so a single lucky trial is not certainty.</summary>
    public required double SuccessRate { get; init; }

    /// <summary>Similarity × recency × success rate.</summary>
    public required double Score { get; init; }
}
