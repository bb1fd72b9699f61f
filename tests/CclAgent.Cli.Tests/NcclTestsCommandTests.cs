using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Nccl.NcclTests;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>`ccl-agent nccltests parse` and `ccl-agent sim nccl-tests`, run as the real executable.</summary>
public sealed class NcclTestsCommandTests : IDisposable
{
    // The emulator reads NCCL_* and MPI rank variables; the test host's own must not leak in.
    private static readonly Dictionary<string, string?> Clean = new()
    {
        ["NCCL_ALGO"] = null, ["NCCL_PROTO"] = null, ["CCL_AGENT_SIM_WORKLOAD"] = null,
        ["OMPI_COMM_WORLD_RANK"] = null, ["OMPI_COMM_WORLD_SIZE"] = null, ["PMI_RANK"] = null, ["PMI_SIZE"] = null,
        ["PMIX_RANK"] = null, ["PMIX_SIZE"] = null, ["SLURM_PROCID"] = null, ["SLURM_NTASKS"] = null,
    };

    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-nccltests-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Emulated_output_round_trips_through_the_parser_and_its_average_matches_its_own_footer()
    {
        var (code, stdout, stderr) = await Sim([], "--op", "all_reduce", "-b", "8", "-e", "8G", "-f", "2");

        Assert.True(code == 0, stderr);
        NcclTestsCollective c = Assert.Single(NcclTestsParser.Parse(stdout).Collectives);
        Assert.Equal("all_reduce_perf", c.Name);
        Assert.Equal(31, c.Rows.Count); // 8 B … 8 GiB, doubling
        Assert.Equal(8589934592, c.Rows[^1].Size);
        Assert.True(c.AverageMatchesReported, $"{c.AvgBusBandwidth} vs {c.ReportedAvgBusBandwidth}");
        Assert.All(c.Rows, r => Assert.Equal(0, r.OutOfPlace.Wrong));
        Assert.Contains("# Collective test concluded: all_reduce_perf", stdout);

        string file = Path.Combine(_temp, "sim.txt");
        await File.WriteAllTextAsync(file, stdout);
        var (parseCode, json, parseErr) = await CliProcess.RunAsync("nccltests", "parse", file, "--json");
        Assert.True(parseCode == 0, parseErr);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement collective = doc.RootElement.GetProperty("collectives")[0];
        Assert.Equal(c.ReportedAvgBusBandwidth, collective.GetProperty("reported_avg_bus_bandwidth").GetDouble());
        Assert.Equal(-1, collective.GetProperty("rows")[0].GetProperty("root").GetInt32());
    }

    [Fact]
    public async Task Rows_have_exactly_the_nccl_tests_widths()
    {
        var (code, stdout, stderr) = await Sim([], "--op", "all_reduce", "-b", "1M", "-e", "1M", "-c", "0");

        Assert.True(code == 0, stderr);
        string[] lines = stdout.Split('\n');
        Assert.Contains("#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong ", lines);
        string row = lines.Single(l => l.StartsWith("     1048576", StringComparison.Ordinal));
        Assert.Equal(12 + 2 + 12 + 2 + 8 + 2 + 6 + 2 + 6 + (2 * (2 + 7 + 2 + 6 + 2 + 6 + 2 + 6)), row.Length);
        Assert.EndsWith("   N/A", row, StringComparison.Ordinal);
        Assert.Matches(@"^# Avg bus bandwidth    : [0-9.e+]+ $", lines.Single(l => l.StartsWith("# Avg", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("NCCL_ALGO", "Tree")]
    [InlineData("NCCL_PROTO", "LL")]
    public async Task NCCL_variables_in_the_environment_change_the_emulated_times(string name, string value)
    {
        string[] args = ["--op", "all_reduce", "-b", "64K", "-e", "256M", "-f", "4", "--cluster", "a40-4x8-ib100"];
        var (_, baseline, _) = await Sim([], args);
        var (code, tuned, stderr) = await Sim(new() { [name] = value }, args);

        Assert.True(code == 0, stderr);
        double[] before = Times(baseline);
        double[] after = Times(tuned);
        Assert.Equal(before.Length, after.Length);
        Assert.Contains(before.Zip(after), p => Math.Abs(p.First - p.Second) / p.First > 0.10);
    }

    [Fact]
    public async Task Every_NCCL_variable_the_simulator_does_not_read_gets_one_warning_line_and_logging_ones_none()
    {
        var (code, _, stderr) = await Sim(new() { ["NCCL_IB_DISABLE"] = "1", ["NCCL_ALGO"] = "^NVLS", ["NCCL_DEBUG"] = "WARN", ["NCCL_PROTO"] = "LL" }, "--cluster", "a40-4x8-ib100");

        code.Should().Be(0, stderr);
        string[] warnings = [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("warning: the simulator ignores", StringComparison.Ordinal))];
        warnings.Should().HaveCount(2);
        warnings[0].Should().Contain("NCCL_ALGO=^NVLS").And.Contain("value not read");
        warnings[1].Should().Contain("NCCL_IB_DISABLE=1").And.Contain("not modelled");
    }

    [Fact]
    public async Task Under_NCCL_DEBUG_INFO_each_size_names_the_algorithm_protocol_and_channels_before_its_row()
    {
        var (code, stdout, stderr) = await Sim(new() { ["NCCL_DEBUG"] = "INFO" }, "--op", "all_gather", "-b", "1K", "-e", "256M", "-f", "16", "--cluster", "a40-4x8-ib100");

        code.Should().Be(0, stderr);
        string[] lines = stdout.Split('\n');
        string[] tuning = [.. lines.Where(l => l.Contains(" Bytes -> Algo ", StringComparison.Ordinal))];
        tuning.Should().HaveCount(Times(stdout).Length).And.AllSatisfy(l =>
            l.Should().MatchRegex(@"^sim:0:0 \[0\] NCCL INFO AllGather: \d+ Bytes -> Algo (TREE|RING|NVLS|NVLS_TREE|PAT|COLLNET_DIRECT|COLLNET_CHAIN) proto (LL|LL128|SIMPLE) channel\{Lo\.\.Hi\}=\{0\.\.\d+\}$"));
        int first = Array.FindIndex(lines, l => l.Contains(" Bytes -> Algo ", StringComparison.Ordinal));
        lines[first + 1].Trim().Should().StartWith(tuning[0].Split(": ")[1].Split(' ')[0], "the choice precedes the row of its size");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Same_seed_same_output_other_seed_other_noise()
    {
        string[] args = ["--op", "reduce_scatter", "-b", "1M", "-e", "64M", "-f", "2"];
        var (_, a, _) = await Sim([], [.. args, "--seed", "3"]);
        var (_, b, _) = await Sim([], [.. args, "--seed", "3"]);
        var (_, c, _) = await Sim([], [.. args, "--seed", "4"]);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Contains("# Collective test starting: reduce_scatter_perf", a);
    }

    [Fact]
    public async Task The_workload_decides_the_cluster_and_the_communicator_shape()
    {
        var (code, stdout, stderr) = await Sim(new() { ["CCL_AGENT_SIM_WORKLOAD"] = "workload/sim/h100-2x8-ib400-fsdp.json" }, "--op", "all_gather", "-b", "1M", "-e", "1M");

        Assert.True(code == 0, stderr);
        Assert.Contains("#  Rank 15 Group  0", stdout);
        Assert.Contains("H100-SXM", stdout);
        NcclTestsRow row = Assert.Single(Assert.Single(NcclTestsParser.Parse(stdout).Collectives).Rows);
        Assert.Equal(1048576 / 4 / 16, row.Count); // all_gather prints the per-rank count
        Assert.Equal("none", row.Redop);
    }

    [Fact]
    public async Task Only_rank_0_prints_under_mpirun()
    {
        var (code, stdout, _) = await Sim(new() { ["OMPI_COMM_WORLD_RANK"] = "2", ["OMPI_COMM_WORLD_SIZE"] = "4" }, "--op", "all_reduce", "-g", "1");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public async Task Parse_prints_a_text_summary_by_default()
    {
        string file = Path.Combine(_temp, "two.txt");
        var (_, first, _) = await Sim([], "--op", "all_reduce", "-b", "8", "-e", "1M", "-f", "8");
        var (_, second, _) = await Sim([], "--op", "broadcast", "-b", "8", "-e", "1M", "-f", "8");
        await File.WriteAllTextAsync(file, "[1,0]<stdout>:" + first.Replace("\n", "\n[1,0]<stdout>:", StringComparison.Ordinal) + "\nnoise line\n" + second);

        var (code, stdout, stderr) = await CliProcess.RunAsync("nccltests", "parse", file);

        Assert.True(code == 0, stderr);
        Assert.Contains("all_reduce_perf: 6 rows", stdout);
        Assert.Contains("broadcast_perf: 6 rows", stdout);
        Assert.Contains("(matches)", stdout);
        Assert.Contains("skipped 1 of", stdout);
    }

    [Fact]
    public async Task Parse_of_a_missing_file_exits_2_with_one_line()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync("nccltests", "parse", Path.Combine(_temp, "nope.txt"), "--json");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("nope.txt", Assert.Single(stderr.Trim().Split('\n')));
    }

    [Fact]
    public async Task Parse_of_a_file_without_a_table_exits_2_with_one_line()
    {
        string file = Path.Combine(_temp, "log.txt");
        await File.WriteAllTextAsync(file, "host:1:1 [0] NCCL INFO Bootstrap : Using eth0\nhost: Test NCCL failure common.cu:1005 'unhandled cuda error'\n");

        var (code, _, stderr) = await CliProcess.RunAsync("nccltests", "parse", file);

        Assert.Equal(2, code);
        Assert.Contains("no nccl-tests table", Assert.Single(stderr.Trim().Split('\n')));
    }

    [Theory]
    [InlineData("--op", "all_to_all")]
    [InlineData("-b", "8X")]
    [InlineData("-d", "complex")]
    [InlineData("--cluster", "dgx-9000")]
    [InlineData("--workload", "workload/sim/missing.json")]
    [InlineData("-N", "-1")]
    [InlineData("--on-hang", "wait")]
    public async Task Sim_rejects_bad_input_with_exit_2(string flag, string value)
    {
        var (code, _, stderr) = await Sim([], flag, value);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_fails_like_nccl_when_the_forced_algorithm_cannot_run()
    {
        var (code, stdout, stderr) = await Sim(new() { ["NCCL_ALGO"] = "NVLS" }, "--op", "all_reduce", "--cluster", "l40s-1x8-pcie", "-b", "1M", "-e", "1M");

        Assert.Equal(3, code);
        Assert.Contains("Test NCCL failure", stdout);
        Assert.Contains("error:", stderr);
    }

    [Fact]
    public async Task Flags_of_the_real_binaries_that_do_not_apply_are_accepted()
    {
        var (code, stdout, stderr) = await Sim([], "--op", "all_reduce", "-b", "8", "-e", "64", "-f", "2", "-t", "1", "-w", "5", "-n", "50", "-m", "1",
            "-z", "1", "-G", "0", "-a", "1", "-T", "30", "-p", "0", "-N", "1", "-R", "0", "-M", "0", "-C", "1", "-o", "max", "-d", "bfloat16");

        Assert.True(code == 0, stderr);
        Assert.Contains("warmup iters: 5 iters: 50", stdout);
        Assert.Contains(" cputime ", stdout);
        Assert.Contains("  bfloat16     max ", stdout);
    }

    [Fact]
    public async Task Run_cycles_repeat_the_sweep_in_one_table_whose_average_matches_its_own_footer()
    {
        string[] args = ["--op", "all_reduce", "-b", "1K", "-e", "1M", "-f", "4", "--seed", "5"];
        var (_, once, _) = await Sim([], args);
        var (code, thrice, stderr) = await Sim([], [.. args, "-N", "3"]);
        var (_, again, _) = await Sim([], [.. args, "--run_cycles", "3"]);

        Assert.True(code == 0, stderr);
        NcclTestsCollective one = Assert.Single(NcclTestsParser.Parse(once).Collectives);
        NcclTestsCollective c = Assert.Single(NcclTestsParser.Parse(thrice).Collectives);
        Assert.Equal(3 * one.Rows.Count, c.Rows.Count);
        Assert.Equal(Enumerable.Repeat(one.Rows.Select(r => r.Size), 3).SelectMany(s => s), c.Rows.Select(r => r.Size));
        Assert.True(c.AverageMatchesReported, $"{c.AvgBusBandwidth} vs {c.ReportedAvgBusBandwidth}");
        Assert.Equal(thrice, again);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Run_cycles_0_prints_cycle_after_cycle_until_killed()
    {
        const int sizes = 3; // 1K, 2K, 4K
        using Process sim = StartSim([], "--op", "all_reduce", "-b", "1K", "-e", "4K", "-f", "2", "-N", "0");
        try
        {
            List<string> lines = await ReadUntilAsync(sim, lines => lines.Count(IsRow) > 2 * sizes);

            Assert.False(sim.HasExited);
            NcclTestsCollective c = Assert.Single(NcclTestsParser.Parse(string.Join('\n', lines)).Collectives);
            Assert.Equal([1024L, 2048, 4096, 1024, 2048, 4096, 1024], c.Rows.Take((2 * sizes) + 1).Select(r => r.Size));
            Assert.Null(c.ReportedAvgBusBandwidth); // an endless run never reaches its footer
        }
        finally
        {
            sim.Kill(entireProcessTree: true);
        }

        await sim.WaitForExitAsync();
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_known_hang_exits_3_by_default()
    {
        var (code, stdout, stderr) = await Sim(new() { ["NCCL_P2P_LEVEL"] = "SYS" }, "--op", "all_reduce", "--workload", await AcsWorkloadAsync());

        Assert.Equal(3, code);
        Assert.Contains("Test NCCL failure", stdout);
        Assert.Contains("simulated hang", stderr);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task On_hang_block_prints_the_header_and_then_hangs_until_killed()
    {
        using Process sim = StartSim(new() { ["NCCL_P2P_LEVEL"] = "SYS" }, "--op", "all_reduce", "--workload", await AcsWorkloadAsync(), "--on-hang", "block");
        try
        {
            List<string> lines = await ReadUntilAsync(sim, lines => lines.Any(l => l.StartsWith("#        (B)", StringComparison.Ordinal)));
            await Task.WhenAny(sim.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(2)));

            Assert.False(sim.HasExited, "the blocked run exited on its own");
            Assert.DoesNotContain(lines, IsRow);
            Assert.DoesNotContain(lines, l => l.Contains("Test NCCL failure", StringComparison.Ordinal));
        }
        finally
        {
            sim.Kill(entireProcessTree: true);
        }

        await sim.WaitForExitAsync();
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Sim(Dictionary<string, string?> env, params string[] args)
    {
        var environment = new Dictionary<string, string?>(Clean);
        foreach ((string name, string? value) in env)
        {
            environment[name] = value;
        }

        return CliProcess.RunAsync(environment, ["sim", "nccl-tests", .. args]);
    }

    /// <summary>Starts the emulator without waiting for it, for runs that only end when killed.</summary>
    private static Process StartSim(Dictionary<string, string?> env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach ((string name, string? value) in Clean.Concat(env))
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"));
        start.ArgumentList.Add("sim");
        start.ArgumentList.Add("nccl-tests");
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { }; // drained so a chatty stderr can never block the child
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Reads stdout lines until <paramref name="enough"/> holds; a generous bound turns a stuck run into a failure, not a hung test.</summary>
    private static async Task<List<string>> ReadUntilAsync(Process process, Func<List<string>, bool> enough)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var lines = new List<string>();
        while (!enough(lines))
        {
            string? line = await process.StandardOutput.ReadLineAsync(bound.Token);
            Assert.True(line is not null, "stdout ended early:\n" + string.Join('\n', lines));
            lines.Add(line);
        }

        return lines;
    }

    private static bool IsRow(string line) => line.Length > 0 && char.IsAsciiDigit(line.TrimStart()[0]);

    /// <summary>A shipped PCIe workload with ACS turned on: P2P beyond PXB is then the simulator's known hang (HazardModel).</summary>
    private async Task<string> AcsWorkloadAsync()
    {
        JsonNode workload = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.Workload("l40s-1x8-pcie-ddp")))!;
        workload["cluster"]!["acs_enabled"] = true;
        string path = Path.Combine(_temp, "acs.json");
        await File.WriteAllTextAsync(path, workload.ToJsonString());
        return path;
    }

    private static double[] Times(string output) =>
        Assert.Single(NcclTestsParser.Parse(output).Collectives).Rows.Select(r => r.OutOfPlace.TimeUs!.Value).ToArray();
}
