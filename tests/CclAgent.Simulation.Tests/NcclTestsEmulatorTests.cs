using CclAgent.Nccl.NcclTests;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.Hardware;
using CclAgent.Simulation.NcclTests;

namespace CclAgent.Simulation.Tests;

public sealed class NcclTestsEmulatorTests
{
    [Theory]
    [InlineData(CollectiveOp.AllReduce)]
    [InlineData(CollectiveOp.AllGather)]
    [InlineData(CollectiveOp.ReduceScatter)]
    [InlineData(CollectiveOp.Broadcast)]
    [InlineData(CollectiveOp.Reduce)]
    public void Every_op_round_trips_and_its_computed_average_matches_its_footer(CollectiveOp op)
    {
        Assert.True(ClusterPresets.TryGet("h100-2x8-ib400", out var spec));
        var run = new NcclTestsRun { Op = op, ProgramName = "x_perf", Nodes = 2, RanksPerNode = 8, MinBytes = 8, MaxBytes = 1L << 32, StepFactor = 2 };
        using var output = new StringWriter();

        NcclTestsEmulation result = new NcclTestsEmulator(ClusterModel.From(spec)).Run(run, NcclConfig.Default, output);

        Assert.True(result.Succeeded, result.Error);
        NcclTestsCollective c = Assert.Single(NcclTestsParser.Parse(output.ToString()).Collectives);
        Assert.Equal(30, c.Rows.Count);
        Assert.True(c.AverageMatchesReported, $"{c.AvgBusBandwidth} vs {c.ReportedAvgBusBandwidth}");
    }

    [Fact]
    public void Gather_and_scatter_print_whole_per_rank_counts()
    {
        var run = new NcclTestsRun { Op = CollectiveOp.AllGather, ProgramName = "all_gather_perf", Nodes = 1, RanksPerNode = 8 };

        Assert.Equal((0L, 0L), NcclTestsEmulator.Shape(run, 8));
        Assert.Equal((1024L, 32L), NcclTestsEmulator.Shape(run, 1030));
    }
}
