namespace CclAgent.Tuning.Offline;

/// <summary>
/// What the offline microbenchmark learned for each collective: the time of every algorithm×protocol
/// subspace, one-at-a-time ratios for the other parameters inside the most promising subspaces, and
/// how much each parameter can move this workload's communication time.
/// </summary>
internal sealed record MicrobenchmarkResult
{
    public required IReadOnlyList<CollectiveProfile> Collectives { get; init; }

    /// <summary>Parameter → largest relative change of weighted communication time any of its values caused.</summary>
    public required IReadOnlyDictionary<string, double> Importance { get; init; }

    public required int Runs { get; init; }
    public required int FailedRuns { get; init; }

    /// <summary>Runs not made because the microbenchmark's run budget was spent.</summary>
    public int SkippedRuns { get; init; }
}
