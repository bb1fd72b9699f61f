using System.Text.Json.Serialization;

namespace CclAgent.Bench.Results;

/// <summary>A strategy over all scenarios and seeds.</summary>
public sealed record BenchAggregate
{
    public required string Strategy { get; init; }
    public required int Runs { get; init; }
    public required IReadOnlyDictionary<string, double> MeanOracleFractionAt { get; init; }
    [JsonPropertyName("median_trials_to_2pct")]
    public required double MedianTrialsTo2pct { get; init; }
    public required int HazardousApplied { get; init; }
    public required int RiskyApplied { get; init; }
    public required double MeanSpeedupVsDefault { get; init; }

    /// <summary>Runs whose deliverable is slower than NCCL's defaults in truth.</summary>
    public int DeliveredSlowerThanDefault { get; init; }
    public required double MeanMicrobenchmarkRuns { get; init; }
    public required IReadOnlyList<double> MeanConvergence { get; init; }

    /// <summary>Median over runs of the cluster seconds to 2% (a run that never got there counts as infinite); null when the median never got there.</summary>
    [JsonPropertyName("median_cluster_seconds_to_2pct")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? MedianClusterSecondsTo2pct { get; init; }

    /// <summary>Runs that got within 2% of the oracle within the budget.</summary>
    [JsonPropertyName("runs_reaching_2pct")]
    public int RunsReaching2pct { get; init; }
    public double MeanClusterSecondsTotal { get; init; }
    public double MeanGpuHoursTotal { get; init; }

    /// <summary>Mean cluster seconds charged up to each trial, the x of the oracle-fraction-vs-cluster-time plot.</summary>
    public IReadOnlyList<double> MeanClusterSeconds { get; init; } = [];
}
