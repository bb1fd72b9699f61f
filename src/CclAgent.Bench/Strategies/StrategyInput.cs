using CclAgent.Bench.Scenarios;
using CclAgent.Memory;

namespace CclAgent.Bench.Strategies;

/// <summary>What a strategy run gets: the scenario, the seed, the budget of job runs, a scratch folder and (for memory experiments) a memory store.</summary>
public sealed record StrategyInput(BenchScenario Scenario, int Seed, int Budget, string WorkDirectory, MemoryStore? Memory, TimeProvider Time);
