using CclAgent.Core.Workloads;
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
    public void Three_cycles_repeat_every_size_in_one_table_and_the_footer_averages_all_rows()
    {
        NcclTestsCollective once = Assert.Single(NcclTestsParser.Parse(Emulate(Sweep with { RunCycles = 1 })).Collectives);
        string output = Emulate(Sweep with { RunCycles = 3 });

        NcclTestsCollective c = Assert.Single(NcclTestsParser.Parse(output).Collectives);
        Assert.Equal(3 * once.Rows.Count, c.Rows.Count);
        Assert.Equal(Enumerable.Repeat(once.Rows.Select(r => r.Size), 3).SelectMany(s => s), c.Rows.Select(r => r.Size));
        Assert.Equal(once.Rows, c.Rows.Take(once.Rows.Count)); // the first cycle is the one-cycle run: same noise stream
        Assert.NotEqual(c.Rows.Take(once.Rows.Count), c.Rows.Skip(once.Rows.Count).Take(once.Rows.Count));
        Assert.True(c.AverageMatchesReported, $"{c.AvgBusBandwidth} vs {c.ReportedAvgBusBandwidth}");
        Assert.Single(output.Split('\n'), l => l.StartsWith("#       size", StringComparison.Ordinal));
    }

    [Fact]
    public void Equal_seeds_print_equal_multi_cycle_output()
    {
        Assert.Equal(Emulate(Sweep with { RunCycles = 4, Seed = 11 }), Emulate(Sweep with { RunCycles = 4, Seed = 11 }));
        Assert.NotEqual(Emulate(Sweep with { RunCycles = 4, Seed = 11 }), Emulate(Sweep with { RunCycles = 4, Seed = 12 }));
    }

    [Fact]
    public async Task An_endless_run_prints_cycle_after_cycle_until_cancelled()
    {
        Assert.True(ClusterPresets.TryGet("h100-1x8", out var spec));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a bound for a broken run, not a timing assert
        using var output = new CancelAfterRows(rows: 2 * 3 + 1, cancel);

        Task<NcclTestsEmulation> run = new NcclTestsEmulator(ClusterModel.From(spec)).RunAsync(Sweep with { RunCycles = 0, MaxBytes = 1 << 14 }, NcclConfig.Default, output, TimeProvider.System, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        NcclTestsCollective c = Assert.Single(NcclTestsParser.Parse(output.ToString()).Collectives);
        Assert.Equal([1L << 10, 1L << 12, 1L << 14, 1L << 10, 1L << 12, 1L << 14, 1L << 10], c.Rows.Select(r => r.Size));
        Assert.Null(c.ReportedAvgBusBandwidth); // killed, never concluded
        Assert.DoesNotContain("Collective test concluded", output.ToString());
    }

    [Fact]
    public async Task A_known_hang_blocks_after_the_table_header_until_cancelled()
    {
        NcclConfig hangs = NcclConfig.Default.With("NCCL_P2P_LEVEL", "SYS");
        var emulator = new NcclTestsEmulator(ClusterModel.From(AcsPcieCluster));
        using var cancel = new CancellationTokenSource();
        using var output = new StringWriter();

        Task<NcclTestsEmulation> run = emulator.RunAsync(Sweep with { BlockOnHang = true }, hangs, output, TimeProvider.System, cancel.Token);
        await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(300)));

        Assert.False(run.IsCompleted, "a blocking hang returned on its own");
        Assert.Contains("#       size", output.ToString());
        Assert.DoesNotContain("Test NCCL failure", output.ToString());
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public void A_known_hang_fails_at_once_by_default()
    {
        using var output = new StringWriter();

        NcclTestsEmulation result = new NcclTestsEmulator(ClusterModel.From(AcsPcieCluster)).Run(Sweep, NcclConfig.Default.With("NCCL_P2P_LEVEL", "SYS"), output);

        Assert.False(result.Succeeded);
        Assert.StartsWith("simulated hang", result.Error, StringComparison.Ordinal);
        Assert.Contains("Test NCCL failure", output.ToString());
    }

    [Fact]
    public void Gather_and_scatter_print_whole_per_rank_counts()
    {
        var run = new NcclTestsRun { Op = CollectiveOp.AllGather, ProgramName = "all_gather_perf", Nodes = 1, RanksPerNode = 8 };

        Assert.Equal((0L, 0L), NcclTestsEmulator.Shape(run, 8));
        Assert.Equal((1024L, 32L), NcclTestsEmulator.Shape(run, 1030));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public void The_synchronous_run_refuses_runs_that_never_end(int runCycles, bool blockOnHang)
    {
        Assert.True(ClusterPresets.TryGet("h100-1x8", out var spec));

        Assert.Throws<ArgumentException>(() => new NcclTestsEmulator(ClusterModel.From(spec)).Run(Sweep with { RunCycles = runCycles, BlockOnHang = blockOnHang }, NcclConfig.Default, TextWriter.Null));
    }

    private static NcclTestsRun Sweep { get; } = new()
    {
        Op = CollectiveOp.AllReduce, ProgramName = "all_reduce_perf", Nodes = 1, RanksPerNode = 8, MinBytes = 1 << 10, MaxBytes = 1 << 20, StepFactor = 4,
    };

    /// <summary>A PCIe node whose ACS redirects peer traffic: P2P beyond PXB is the simulator's known hang (HazardModel).</summary>
    private static ClusterSpec AcsPcieCluster
    {
        get
        {
            Assert.True(ClusterPresets.TryGet("l40s-1x8-pcie", out var spec));
            return spec with { AcsEnabled = true };
        }
    }

    private static string Emulate(NcclTestsRun run)
    {
        Assert.True(ClusterPresets.TryGet("h100-1x8", out var spec));
        using var output = new StringWriter();
        Assert.True(new NcclTestsEmulator(ClusterModel.From(spec)).Run(run, NcclConfig.Default, output).Succeeded);
        return output.ToString();
    }

    /// <summary>Stands in for the reader that kills an endless run: cancels once enough rows have been flushed to it.</summary>
    private sealed class CancelAfterRows(int rows, CancellationTokenSource cancel) : StringWriter
    {
        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            if (ToString().Split('\n').Count(l => l.Length > 0 && char.IsAsciiDigit(l.TrimStart()[0])) >= rows)
            {
                cancel.Cancel();
            }

            return Task.CompletedTask;
        }
    }
}
