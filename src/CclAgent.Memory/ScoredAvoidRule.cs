namespace CclAgent.Memory;

/// <summary>An avoid-rule recorded in a context similar to the current one.</summary>
public sealed record ScoredAvoidRule
{
    public required AvoidRuleRecord Rule { get; init; }

    public required double Similarity { get; init; }
}
