using CclAgent.Nccl.NcclTests;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.Hardware;
using CclAgent.Simulation.NcclTests;
using CclAgent.Runtime.Execution;

namespace CclAgent.Runtime.Tests.Execution;

/// <summary>What the collector makes of nccl-tests output fed to it line by line, as the runner streams it.</summary>
public sealed class JobOutputCollectorTests
{
    [Fact]
    public void A_three_cycle_table_gives_one_sample_per_cycle_at_the_largest_size()
    {
        string output = Emulate(runCycles: 3);
        NcclTestsCollective table = Assert.Single(NcclTestsParser.Parse(output).Collectives);
        double[] expected = table.Rows.Where(r => r.Size == 1 << 20).Select(r => r.OutOfPlace.TimeUs!.Value / 1000.0).ToArray();

        JobOutputSummary summary = Collect(output, warmupIterations: 2);

        Assert.Equal("nccl_tests", summary.Source);
        Assert.Equal(3, summary.IterationMs.Count); // nccl-tests warms up itself: nothing dropped
        Assert.Equal(expected, summary.IterationMs);
        Assert.Equal(3, summary.IterationMs.Distinct().Count()); // each cycle has its own noise
        Assert.Equal(table.ReportedAvgBusBandwidth, summary.Metrics["busbw_gbps"]);
    }

    [Fact]
    public void A_one_cycle_table_still_gives_one_sample()
    {
        string output = Emulate(runCycles: 1);
        NcclTestsCollective table = Assert.Single(NcclTestsParser.Parse(output).Collectives);

        JobOutputSummary summary = Collect(output, warmupIterations: 0);

        Assert.Equal([table.Rows[^1].OutOfPlace.TimeUs!.Value / 1000.0], summary.IterationMs);
        Assert.Equal(table.ReportedAvgBusBandwidth, summary.Metrics["busbw_gbps"]);
    }

    [Fact]
    public void Two_one_cycle_tables_give_one_sample_each_and_average_their_bus_bandwidths()
    {
        string first = Emulate(runCycles: 1, seed: 1);
        string second = Emulate(runCycles: 1, seed: 2);
        IReadOnlyList<NcclTestsCollective> tables = NcclTestsParser.Parse(first + second).Collectives;

        JobOutputSummary summary = Collect(first + second, warmupIterations: 0);

        Assert.Equal(2, tables.Count);
        Assert.Equal(2, summary.IterationMs.Count);
        Assert.Equal(tables.Average(t => t.ReportedAvgBusBandwidth!.Value), summary.Metrics["busbw_gbps"], 9);
    }

    private static string Emulate(int runCycles, int seed = 7)
    {
        Assert.True(ClusterPresets.TryGet("h100-1x8", out var spec));
        var run = new NcclTestsRun
        {
            Op = CollectiveOp.AllReduce, ProgramName = "all_reduce_perf", Nodes = 1, RanksPerNode = 8,
            MinBytes = 1 << 10, MaxBytes = 1 << 20, StepFactor = 4, RunCycles = runCycles, Seed = seed,
        };
        using var output = new StringWriter();
        Assert.True(new NcclTestsEmulator(ClusterModel.From(spec)).Run(run, NcclConfig.Default, output).Succeeded);
        return output.ToString();
    }

    private static JobOutputSummary Collect(string output, int warmupIterations)
    {
        var collector = new JobOutputCollector();
        foreach (string line in output.Split('\n'))
        {
            collector.AddStdoutLine(line);
        }

        return collector.Complete(warmupIterations);
    }
}
