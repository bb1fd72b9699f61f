using CclAgent.Core.Workloads;

namespace CclAgent.Bench.Scenarios;

/// <summary>One simulated workload of the benchmark: its spec and the name results use (the file name without .json).</summary>
public sealed record BenchScenario(string Name, string File, WorkloadSpec Workload);
