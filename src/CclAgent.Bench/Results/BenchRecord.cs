using System.Text.Json.Serialization;

namespace CclAgent.Bench.Results;

/// <summary>One strategy × scenario × seed: how close to the oracle it got, how fast, and how safely.</summary>
public sealed record BenchRecord
{
    public required string Strategy { get; init; }
    public required string Scenario { get; init; }
    public required int Seed { get; init; }

    /// <summary>Trial count → oracle iteration time / true time of what the strategy would deploy after that many trials (1.0 is optimal).</summary>
    public required IReadOnlyDictionary<string, double> OracleFractionAt { get; init; }

    /// <summary>First trial whose deployed configuration is within 2% of the oracle; budget + 1 if never.</summary>
    [JsonPropertyName("trials_to_2pct")]
    public required int TrialsTo2pct { get; init; }

    /// <summary>Trials whose configuration failed on the cluster (init error, corruption, OOM, hang).</summary>
    public required int HazardousApplied { get; init; }

    /// <summary>Trials applied with a risk score at or above the threshold (0.5), scored the same way for every strategy.</summary>
    public required int RiskyApplied { get; init; }

    /// <summary>True iteration time of NCCL defaults / true time of the final deployed configuration.</summary>
    public required double SpeedupVsDefault { get; init; }
    public required int MicrobenchmarkRuns { get; init; }
    public required double ElapsedMs { get; init; }

    /// <summary>Oracle fraction after every trial 1..budget, for the convergence plot.</summary>
    public required IReadOnlyList<double> Convergence { get; init; }

    /// <summary>Cluster seconds charged up to the first trial within 2% of the oracle (microbenchmark and job start included); null if never.</summary>
    [JsonPropertyName("cluster_seconds_to_2pct")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? ClusterSecondsTo2pct { get; init; }

    /// <summary>Everything the strategy ran, in cluster seconds (the whole allocation held), and the same in GPU-hours.</summary>
    public double ClusterSecondsTotal { get; init; }
    public double GpuHoursTotal { get; init; }

    /// <summary>The microbenchmark's share of <see cref="ClusterSecondsTotal"/>.</summary>
    public double MicrobenchmarkClusterSeconds { get; init; }

    /// <summary>Cluster seconds charged up to and including each trial 1..budget, beside <see cref="Convergence"/>.</summary>
    public IReadOnlyList<double> ClusterSeconds { get; init; } = [];

    /// <summary>Noise-free time of what the strategy hands over at the end (ccl-agent: its deliverable; others: the last incumbent).</summary>
    public double DeliveredTrueMs { get; init; }

    /// <summary>True when that deliverable is slower than NCCL's defaults in truth.</summary>
    public bool DeliveredSlowerThanDefault { get; init; }
}
