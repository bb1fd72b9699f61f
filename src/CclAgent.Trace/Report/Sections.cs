namespace CclAgent.Trace.Report;

// The report's sections are small records read together; one file keeps the schema in one place (docs/trace.md mirrors it).
#pragma warning disable SA1402, CA1711

/// <summary>One integrity problem: its kind (e.g. <c>dependency.started_early</c>), the ids it concerns and a sentence.</summary>
public sealed record IntegrityIssue(string Kind, IReadOnlyList<string> Ids, string Message);

/// <summary>Whether the input is internally consistent, and every way it is not.</summary>
public sealed record IntegritySection
{
    public bool Valid { get; init; } = true;
    public IReadOnlyList<IntegrityIssue> Issues { get; init; } = [];
}

/// <summary>A directed edge: <see cref="From"/> must finish before <see cref="To"/> starts.</summary>
public sealed record GraphEdge(string From, string To);

/// <summary>The dependency graph.</summary>
public sealed record GraphSection
{
    public IReadOnlyList<string> Nodes { get; init; } = [];
    public IReadOnlyList<GraphEdge> Edges { get; init; } = [];
}

/// <summary>One element's share of the critical path's length.</summary>
public sealed record PathShare(string Id, double DurationMs, double Share);

/// <summary>The longest chain of dependent work, its length and each element's share.</summary>
public sealed record CriticalPathSection
{
    public IReadOnlyList<string> Ids { get; init; } = [];
    public double DurationMs { get; init; }
    public IReadOnlyList<PathShare> Shares { get; init; } = [];

    /// <summary>The path's length by kind of time (Kineto: compute, communication, memcpy, cpu, launch_delay, idle).</summary>
    public IReadOnlyList<PathShare> Kinds { get; init; } = [];
}

/// <summary>A step slower than its reference: the baseline p95, or (basis <c>type_median</c>) the median of its step type in this run.</summary>
public sealed record Bottleneck(string Id, double DurationMs, double BaselineP95Ms, double Ratio, string Basis);

/// <summary>Independent steps that ran one after the other, and the time overlapping them would save.</summary>
public sealed record ParallelismOpportunity(IReadOnlyList<string> Ids, double SavingMs);

/// <summary>A step that failed or was skipped because an earlier step failed.</summary>
public sealed record PropagatedFailure(string Id, string Status, IReadOnlyList<string> Causes);

/// <summary>A step that ran more than once.</summary>
public sealed record RetriedStep(string Id, int Attempts, string FinalStatus);

/// <summary>Where failures started, where they spread to, and what was retried.</summary>
public sealed record FailureSection
{
    public IReadOnlyList<string> Initiating { get; init; } = [];
    public IReadOnlyList<PropagatedFailure> Propagated { get; init; } = [];
    public IReadOnlyList<RetriedStep> Retries { get; init; } = [];
}

/// <summary>One health component: its value in [0, 1] and its weight in the score.</summary>
public sealed record HealthComponent(string Name, double Value, double Weight);

/// <summary>Health 0–100: the weighted sum of the components times 100; null for inputs that are not scored (Kineto, Inspector).</summary>
public sealed record HealthSection
{
    public int? Score { get; init; }
    public IReadOnlyList<HealthComponent> Components { get; init; } = [];
}

/// <summary>One rank's GPU time: busy time per class (interval unions), idle inside its GPU window.</summary>
public sealed record RankBreakdown(int Rank, double WindowUs, double ComputeUs, double CommunicationUs, double MemcpyUs, double IdleUs);

/// <summary>HTA's communication/computation overlap: the share of communication time during which compute kernels run.</summary>
public sealed record RankOverlap(int Rank, double CommunicationUs, double OverlappedUs, double Ratio);

/// <summary>One group of NCCL kernels with the same op, size, dtype, algorithm and protocol.</summary>
public sealed record CollectiveRow(string Op, long Bytes, string Dtype, string Algorithm, string Protocol, int Count, double MeanUs, double P95Us, double AlgbwGbps, double BusbwGbps, int Ranks);

/// <summary>
/// A rank that arrives last at collectives: of <see cref="Matched"/> calls matched across ranks it was last in
/// <see cref="Collectives"/>, by the given mean and median margin over the second-latest rank (µs).
/// </summary>
public sealed record StragglerRow(int Rank, int Collectives, int Matched, double LateUsMean, double LateUsMedian);
