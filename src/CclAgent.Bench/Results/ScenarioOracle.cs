namespace CclAgent.Bench.Results;

/// <summary>The yardstick of one scenario: the exhaustive oracle and NCCL's default, both noise-free.</summary>
public sealed record ScenarioOracle(string Scenario, double OracleIterationMs, double DefaultIterationMs, IReadOnlyDictionary<string, string> OracleConfig, long SpaceSize, double ElapsedMs);
