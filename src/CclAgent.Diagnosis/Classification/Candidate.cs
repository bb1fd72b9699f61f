namespace CclAgent.Diagnosis.Classification;

/// <summary>One ranked root-cause hypothesis: a category, its score and the evidence behind it.</summary>
public sealed record Candidate
{
    public required string Category { get; init; }
    public required double Score { get; init; }
    public required string Role { get; init; }
    public required string Domain { get; init; }
    public required IReadOnlyList<string> EvidenceIds { get; init; }
}
