namespace CclAgent.Bench.Results;

/// <summary>results.json.</summary>
public sealed record BenchReport
{
    public required int Budget { get; init; }
    public required int Seeds { get; init; }
    public required IReadOnlyList<string> Strategies { get; init; }
    public required IReadOnlyList<ScenarioOracle> Scenarios { get; init; }

    /// <summary>Per scenario: the cost model behind every cluster-seconds figure.</summary>
    public IReadOnlyList<ScenarioCost> Costs { get; init; } = [];
    public required IReadOnlyList<BenchRecord> Results { get; init; }
    public required IReadOnlyList<BenchAggregate> Aggregates { get; init; }
    public required double ElapsedSeconds { get; init; }
    public bool TimedOut { get; init; }
    public required string Command { get; init; }
}
