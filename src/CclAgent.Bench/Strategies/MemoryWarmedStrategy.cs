using System.Globalization;
using CclAgent.Bench.Scenarios;
using CclAgent.Core.Workloads;
using CclAgent.Memory;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// ccl-agent with memory from one earlier run on a similar, not identical, context: the same cluster
/// running a different model (compute ×1.2, every message ×1.5, another model name, another seed).
/// That earlier run is not counted; the measured run then starts from what memory holds.
/// </summary>
public sealed class MemoryWarmedStrategy(CclAgentStrategy agent) : IBenchStrategy
{
    public string Name => agent.Name;

    public async Task<StrategyRun> RunAsync(StrategyInput input, CancellationToken cancellationToken)
    {
        string dbPath = Path.Combine(input.WorkDirectory, "memory", Name, string.Create(CultureInfo.InvariantCulture, $"{input.Scenario.Name}-seed{input.Seed}.db"));
        using MemoryStore memory = MemoryStore.Open(dbPath, input.Time);
        BenchScenario similar = Similar(input.Scenario);
        await agent.RunAsync(input with { Scenario = similar, Seed = input.Seed + 1000, Memory = memory, WorkDirectory = Path.Combine(input.WorkDirectory, "earlier") }, cancellationToken);
        return await agent.RunAsync(input with { Memory = memory }, cancellationToken);
    }

    public static BenchScenario Similar(BenchScenario scenario)
    {
        WorkloadSpec workload = scenario.Workload;
        WorkloadSpec variant = workload with
        {
            Name = workload.Name + "-similar",
            Model = (workload.Model ?? new ModelSpec()) with { Name = (workload.Model?.Name ?? "model") + "-variant" },
            Iteration = workload.Iteration! with
            {
                ComputeMs = workload.Iteration.ComputeMs * 1.2,
                Collectives = workload.Iteration.Collectives!.Select(c => c with { Bytes = (long)(c.Bytes!.Value * 1.5) }).ToList(),
            },
        };
        return new BenchScenario(scenario.Name + "-similar", scenario.File, variant);
    }
}
