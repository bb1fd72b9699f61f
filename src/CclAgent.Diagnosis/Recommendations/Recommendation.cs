namespace CclAgent.Diagnosis.Recommendations;

/// <summary>One concrete fix: what to do, the env var and value or the code location when there is one, and the effort.</summary>
public sealed record Recommendation
{
    public required string Priority { get; init; }

    /// <summary>node | env | code | config | investigate.</summary>
    public required string Kind { get; init; }
    public required string Action { get; init; }
    public string? Detail { get; init; }

    /// <summary>An environment setting to apply, as NAME=value.</summary>
    public string? Env { get; init; }

    /// <summary>file:line of the code to change.</summary>
    public string? Location { get; init; }
    public required string Effort { get; init; }
    public required string Category { get; init; }
    public IReadOnlyList<string> EvidenceIds { get; init; } = [];
}
