using System.Text.Json.Serialization;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.Offline;

namespace CclAgent.Tuning.Records;

/// <summary>offline/plan.json: what offline planning decided before the first trial, and from what.</summary>
internal sealed record OfflinePlan
{
    public required string ContextSignature { get; init; }
    public required long SearchSpaceSize { get; init; }
    public required IReadOnlyList<string> Dimensions { get; init; }
    public required IReadOnlyList<string> PrunedDimensions { get; init; }
    public required IReadOnlyDictionary<string, double> Importance { get; init; }
    public required IReadOnlyList<RetrievedRule> MemoryRules { get; init; }
    public required IReadOnlyList<RetrievedRule> AvoidRules { get; init; }
    public required IReadOnlyList<WarmStartCandidate> WarmStartCandidates { get; init; }
    public WarmStartCandidate? WarmStart { get; init; }
    public required int MicrobenchmarkRuns { get; init; }
    public required int MicrobenchmarkFailures { get; init; }

    /// <summary>Cluster seconds the microbenchmark was charged (offline/microbenchmark.json has why it stopped).</summary>
    public double MicrobenchmarkClusterSeconds { get; init; }
    public IReadOnlyList<CollectiveProfile>? Collectives { get; init; }

    /// <summary>The planner's whole-space walk, fastest predicted first (up to <see cref="OfflinePlanner.ShortlistSize"/>); kept in memory for the search, not written.</summary>
    [JsonIgnore]
    public IReadOnlyList<NcclConfig> Shortlist { get; init; } = [];

    /// <summary>Documented effects that apply to this context; the online loop tries them as hypotheses.</summary>
    public IReadOnlyList<Knowledge.KnowledgeRule> Knowledge { get; init; } = [];
}
