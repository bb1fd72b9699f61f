using CclAgent.Simulation.Oracle;

namespace CclAgent.Bench.Strategies;

/// <summary>The strategies `bench` knows by name.</summary>
public static class StrategyCatalog
{
    public const string MemoryVariant = "ccl-agent-memory";

    public const string InJobVariant = "ccl-agent-in-job";

    public static IReadOnlyList<string> Names { get; } = ["nccl-default", "random", AutocclCdStrategy.InJob, AutocclCdStrategy.Restart, "ccl-agent", MemoryVariant, InJobVariant];

    public static IBenchStrategy Create(string name, Func<StrategyInput, JointOracleResult> oracle) => name switch
    {
        "nccl-default" => new NcclDefaultStrategy(),
        "random" => new RandomStrategy(),
        AutocclCdStrategy.InJob => new AutocclCdStrategy(),
        AutocclCdStrategy.Restart => new AutocclCdStrategy(restartPerTrial: true),
        "ccl-agent" => new CclAgentStrategy(name, oracle),
        MemoryVariant => new MemoryWarmedStrategy(new CclAgentStrategy(name, oracle)),
        InJobVariant => new CclAgentStrategy(name, oracle, inJob: true),
        _ => throw new ArgumentException($"unknown strategy '{name}'", nameof(name)),
    };
}
