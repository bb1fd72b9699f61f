using CclAgent.Simulation.Oracle;
using Xunit.Abstractions;

namespace CclAgent.Simulation.Tests;

public sealed class OracleTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<(string Name, OracleResult Result)>> Solved = new(() =>
        SimulationFiles.SimWorkloads
            .AsParallel()
            .AsOrdered()
            .Select(path => (Path.GetFileNameWithoutExtension(path), ExhaustiveOracle.Solve(new SimulatedCluster(SimulationFiles.LoadWorkload(path), new SimulationOptions()))))
            .ToList());

    [Fact]
    [Trait("Category", "Integration")]
    public void Eight_workloads_are_shipped()
    {
        Assert.Equal(8, Solved.Value.Count);
    }

    [Fact]
    public void Oracle_is_never_slower_than_the_NCCL_default_on_a_shipped_workload()
    {
        foreach ((string name, OracleResult result) in Solved.Value)
        {
            output.WriteLine($"{name}: space {result.Evaluated}, runnable {result.Runnable}, default {result.DefaultIterationMs:0.00} ms, best {result.BestIterationMs:0.00} ms, gap {result.DefaultGap:0.000}, {result.ElapsedMs:0} ms");
            Assert.True(double.IsFinite(result.DefaultIterationMs), $"{name}: NCCL default does not run");
            Assert.True(result.BestIterationMs <= result.DefaultIterationMs + 1e-9, name);
        }
    }

    [Fact]
    public void NCCL_default_is_measurably_worse_than_the_oracle_on_at_least_five_shipped_workloads()
    {
        string[] gaps = Solved.Value.Where(s => s.Result.DefaultGap > 1.01).Select(s => s.Name).ToArray();
        Assert.True(gaps.Length >= 5, "gap > 1.01 only on: " + string.Join(", ", gaps));
    }

    [Fact]
    public void Oracle_best_config_is_one_of_the_runnable_configurations()
    {
        foreach ((string name, OracleResult result) in Solved.Value)
        {
            Assert.InRange(result.Runnable, 1, result.Evaluated);
            Assert.True(double.IsFinite(result.BestIterationMs), name);
        }
    }
}
