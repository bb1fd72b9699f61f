namespace CclAgent.Diagnosis.Sources;

/// <summary>What was read from one source: how many lines, and how many were skipped as binary or cut as too long.</summary>
public sealed record SourceSummary
{
    public required string Name { get; init; }
    public required long Lines { get; init; }
    public required long Bytes { get; init; }
    public required long BinaryLinesSkipped { get; init; }
    public required long LongLinesTruncated { get; init; }
    public required int EvidenceFound { get; init; }
    public int? Step { get; init; }
}
