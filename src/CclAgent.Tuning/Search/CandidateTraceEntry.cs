namespace CclAgent.Tuning.Search;

/// <summary>
/// One candidate's path through the pipeline generated → deduped → validated → risk → predicted →
/// ranked → selected; <see cref="DroppedAt"/> and <see cref="Reason"/> say where and why it stopped.
/// </summary>
public sealed record CandidateTraceEntry
{
    public required string Id { get; init; }
    public required string Source { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public IReadOnlyDictionary<string, string>? Patch { get; init; }
    public string? DroppedAt { get; init; }
    public string? Reason { get; init; }
    public double? Risk { get; init; }
    public double? PredictedMs { get; init; }
    public double? PredictedStdMs { get; init; }
    public double? Acquisition { get; init; }
    public int? Rank { get; init; }
    public bool Selected { get; init; }
}
