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
    public required double MeanMicrobenchmarkRuns { get; init; }
    public required IReadOnlyList<double> MeanConvergence { get; init; }
}
