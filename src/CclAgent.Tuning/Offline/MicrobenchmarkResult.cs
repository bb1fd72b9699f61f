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

    /// <summary>Why measuring stopped: every sweep measured, or one of <see cref="MicrobenchmarkStops"/>.</summary>
    public string StopReason { get; init; } = MicrobenchmarkStops.Complete;

    /// <summary>Cluster seconds the runs were charged: measured wall time for real nccl-tests, the cost model for simulated ones.</summary>
    public double ClusterSeconds { get; init; }

    /// <summary>The iterations the stopping rule assumed the job still runs (what a saved millisecond is worth).</summary>
    public double RemainingIterations { get; init; }

    /// <summary>Every sweep the stopping rule weighed, in order, with its plausible saving and its cost.</summary>
    public IReadOnlyList<SweepDecision> SweepDecisions { get; init; } = [];
}
