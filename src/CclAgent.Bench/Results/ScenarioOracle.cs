namespace CclAgent.Bench.Results;

/// <summary>
/// The yardstick of one scenario, noise-free: the joint oracle (environment × per-collective choices, which every
/// oracle fraction is scored against), the environment-only oracle beside it, and NCCL's default.
/// </summary>
public sealed record ScenarioOracle(string Scenario, double OracleIterationMs, double DefaultIterationMs, IReadOnlyDictionary<string, string> OracleConfig, long SpaceSize, double ElapsedMs)
{
    /// <summary>The best configuration of environment variables alone (no tuner plugin).</summary>
    public double? GlobalOracleMs { get; init; }
    public IReadOnlyDictionary<string, string>? GlobalOracleConfig { get; init; }
}
