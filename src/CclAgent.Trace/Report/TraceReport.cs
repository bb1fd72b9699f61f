namespace CclAgent.Trace.Report;

/// <summary>The stable JSON document of <c>trace analyze</c> (docs/trace.md); a section an input cannot fill is empty, never missing.</summary>
public sealed record TraceReport
{
    public IReadOnlyList<string> Inputs { get; init; } = [];
    public string Format { get; init; } = "";
    public IntegritySection Integrity { get; init; } = new();
    public GraphSection Graph { get; init; } = new();
    public CriticalPathSection CriticalPath { get; init; } = new();
    public IReadOnlyList<Bottleneck> Bottlenecks { get; init; } = [];
    public IReadOnlyList<ParallelismOpportunity> Parallelism { get; init; } = [];
    public FailureSection Failures { get; init; } = new();
    public IReadOnlyList<string> Patterns { get; init; } = [];
    public HealthSection Health { get; init; } = new();
    public IReadOnlyList<RankBreakdown> Breakdown { get; init; } = [];
    public IReadOnlyList<RankOverlap> Overlap { get; init; } = [];
    public IReadOnlyList<StragglerRow> Stragglers { get; init; } = [];
    public IReadOnlyList<CollectiveRow> Collectives { get; init; } = [];
}
