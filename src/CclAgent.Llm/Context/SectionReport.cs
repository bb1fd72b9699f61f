namespace CclAgent.Llm.Context;

/// <summary>What happened to one section in the context window: included whole, truncated, or dropped.</summary>
public sealed record SectionReport
{
    public required string Name { get; init; }
    public required int Priority { get; init; }

    /// <summary>included | truncated | dropped.</summary>
    public required string Status { get; init; }
    public required int TokensEstimated { get; init; }
    public required int TokensIncluded { get; init; }
    public int CharactersCut { get; init; }
    public IReadOnlyList<string> Citations { get; init; } = [];
}
