using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using CclAgent.Simulation;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>
/// `ccl-agent sim train`: a simulated training job whose NCCL asks ccl-agent's real tuner plugin about every collective.
/// The expected times replay the simulator with the same seed: each iteration draws the same noise whatever the
/// configuration, so a run's times equal, to the printed digit, the simulator's for the configuration NCCL ran with.
/// </summary>
[Collection(RealProcessTests.Name)]
public sealed class SimTrainCommandTests : IDisposable
{
    private const string Workload = "autoccl-a40-4x8-llama3-8b";
    private const string AllReduceBytes = "0,1099511627776";

    private readonly TempDirectory _temp = new("ccl-simtrain-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_missing_workload_file_is_one_error_line_and_exit_code_2()
    {
        var (code, stdout, stderr) = await InProcessCli.RunAsync("sim", "train", "--workload", _temp.File("missing.json"), "--time-scale", "0");

        code.Should().Be(ExitCodes.InvalidInput);
        stdout.Should().BeEmpty();
        Lines(stderr).Should().ContainSingle().Which.Should().StartWith("error: ").And.Contain("missing.json");
    }

    [Fact]
    public async Task A_malformed_workload_is_one_error_line_and_exit_code_2()
    {
        string file = _temp.Write("bad.json", "{ \"cluster\": ");

        var (code, stdout, stderr) = await InProcessCli.RunAsync("sim", "train", "--workload", file, "--time-scale", "0");

        code.Should().Be(ExitCodes.InvalidInput);
        stdout.Should().BeEmpty();
        Lines(stderr).Should().ContainSingle().Which.Should().StartWith("error: ").And.Contain("bad.json");
    }

    [Fact]
    public async Task A_workload_without_a_simulated_cluster_is_refused_with_exit_code_2()
    {
        var spec = JsonDocument.Parse(await File.ReadAllTextAsync(RepoPaths.Workload(Workload))).RootElement.EnumerateObject()
            .Where(p => p.Name != "cluster").ToDictionary(p => p.Name, p => p.Value);
        string file = _temp.Write("no-cluster.json", JsonSerializer.Serialize(spec));

        var (code, _, stderr) = await InProcessCli.RunAsync("sim", "train", "--workload", file, "--time-scale", "0");

        code.Should().Be(ExitCodes.InvalidInput);
        Lines(stderr).Should().ContainSingle().Which.Should().StartWith($"error: {file}: $.cluster: ");
    }

    [Theory]
    [InlineData("--iterations", "0")]
    [InlineData("--time-scale", "-1")]
    public async Task Out_of_range_options_are_refused_with_exit_code_2(string option, string value)
    {
        var (code, stdout, stderr) = await InProcessCli.RunAsync("sim", "train", "--workload", RepoPaths.Workload(Workload), option, value);

        code.Should().Be(ExitCodes.InvalidInput);
        stdout.Should().BeEmpty();
        Lines(stderr).Should().ContainSingle().Which.Should().StartWith($"error: {option}: ");
    }

    [Fact]
    public async Task Without_the_workload_option_it_is_a_usage_error()
    {
        var (code, _, _) = await InProcessCli.RunAsync("sim", "train");

        code.Should().Be(ExitCodes.UsageError);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Without_NCCL_TUNER_PLUGIN_every_iteration_runs_NCCL_own_choices_even_with_a_conf()
    {
        string conf = Conf($"allreduce,{AllReduceBytes},tree,simple,-1,-1,-1,-1,-1");

        var (code, stdout, stderr) = await Train(new() { ["NCCL_TUNER_PLUGIN"] = null, ["NCCL_TUNER_CONFIG_FILE"] = conf }, iterations: 20);

        code.Should().Be(0, stderr);
        stderr.Should().Contain("sim train: rank 0 of 1, plugin none, 208 collectives per iteration");
        Metrics(stdout).Should().Equal(Expected(NcclConfig.Default, 20).Select((ms, i) => new Metric(i + 1, ms, 0, 0)));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_conf_row_makes_every_iteration_run_with_its_algorithm_protocol_and_channels()
    {
        string conf = Conf($"allreduce,{AllReduceBytes},ring,ll,2,-1,-1,-1,-1");
        NcclConfig ringLl = await WithAllReduceChoice(new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.LL, 2));

        var (code, stdout, stderr) = await Train(PluginEnvironment(conf), iterations: 20);

        code.Should().Be(0, stderr);
        stderr.Should().Contain($"plugin {PluginBinary} (ncclTunerPlugin_v5), 208 collectives per iteration");
        IReadOnlyList<Metric> metrics = Metrics(stdout);
        metrics.Should().Equal(Expected(ringLl, 20).Select((ms, i) => new Metric(i + 1, ms, 208, 2)));
        double median = metrics.Select(m => double.Parse(m.IterationMs, CultureInfo.InvariantCulture)).Order().ElementAt(10);
        SimulatedCluster cluster = await ClusterAsync(1);
        median.Should().BeApproximately(cluster.Estimate(ringLl).IterationMs, cluster.Estimate(ringLl).IterationMs * 0.03);
        median.Should().BeGreaterThan(cluster.Estimate(NcclConfig.Default).IterationMs * 1.2, "ring/LL on 2 channels is far slower than NCCL's own choice here");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_row_for_a_cell_the_cluster_cannot_run_leaves_NCCL_own_choice()
    {
        // NVLS needs NVSwitch; the A40 nodes are PCIe, so NCCL marks the cell ignored and the plugin must skip the row.
        string conf = Conf($"allreduce,{AllReduceBytes},nvls,simple,-1,-1,-1,-1,-1");

        var (code, stdout, stderr) = await Train(PluginEnvironment(conf), iterations: 10);

        code.Should().Be(0, stderr);
        Metrics(stdout).Should().Equal(Expected(NcclConfig.Default, 10).Select((ms, i) => new Metric(i + 1, ms, 208, 0)));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Ranks_other_than_0_ask_the_plugin_but_print_no_metrics()
    {
        string conf = Conf($"allreduce,{AllReduceBytes},tree,simple,-1,-1,-1,-1,-1");
        Dictionary<string, string?> environment = PluginEnvironment(conf);
        environment["OMPI_COMM_WORLD_RANK"] = "1";
        environment["OMPI_COMM_WORLD_SIZE"] = "4";

        var (code, stdout, stderr) = await Train(environment, iterations: 5);

        code.Should().Be(0, stderr);
        stdout.Should().BeEmpty();
        stderr.Should().Contain($"sim train: rank 1 of 4, plugin {PluginBinary} (ncclTunerPlugin_v5)");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_plugin_path_that_does_not_load_is_one_error_line_naming_it_and_the_job_fails()
    {
        string path = _temp.File("libnccl-tuner-absent.so");

        var (code, stdout, stderr) = await Train(new() { ["NCCL_TUNER_PLUGIN"] = path }, iterations: 5);

        code.Should().Be(ExitCodes.JobFailed);
        stdout.Should().BeEmpty();
        Lines(stderr).Should().ContainSingle().Which.Should().StartWith($"error: tuner plugin {path}: cannot be loaded");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Rewriting_the_conf_while_training_runs_changes_the_iteration_times_after_the_switch()
    {
        string conf = Conf($"allreduce,{AllReduceBytes},tree,simple,-1,-1,-1,-1,-1");
        NcclConfig tree = await WithAllReduceChoice(new TunerChoice(NcclAlgorithm.Tree, NcclProtocol.Simple, TunerChoice.NcclChannels));
        NcclConfig ringLl = await WithAllReduceChoice(new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.LL, 2));
        const int Horizon = 3000;
        string[] before = Expected(tree, Horizon);
        string[] after = Expected(ringLl, Horizon);
        Dictionary<string, string?> environment = PluginEnvironment(conf);
        environment["CCL_TUNER_RELOAD_MS"] = "0";

        var seen = new List<(int Iteration, string Ms)>();
        await Stream(environment, ["--iterations", Horizon.ToString(CultureInfo.InvariantCulture), "--time-scale", "0.002"], metric =>
        {
            seen.Add((metric.Iteration, metric.IterationMs));
            if (seen.Count == 5)
            {
                // Atomically, as ccl-agent writes it: a reader sees the old file or the new one, never half of one.
                string temp = conf + ".tmp";
                File.WriteAllText(temp, $"allreduce,{AllReduceBytes},ring,ll,2,-1,-1,-1,-1\n");
                File.Move(temp, conf, overwrite: true);
            }

            int afterRun = seen.Count - seen.FindLastIndex(s => s.Ms != after[s.Iteration - 1]) - 1;
            return afterRun >= 5;
        });

        seen.Take(5).Should().OnlyContain(s => s.Ms == before[s.Iteration - 1], "the first conf is in force until it is rewritten");
        int switched = seen.FindIndex(s => s.Ms == after[s.Iteration - 1]);
        switched.Should().BeGreaterThanOrEqualTo(5);
        seen.Skip(5).Take(switched - 5).All(s => s.Ms == before[s.Iteration - 1] || s.Iteration == seen[switched].Iteration - 1)
            .Should().BeTrue("iterations before the switch run the old conf (the one where it lands may mix both)");
        seen.Skip(switched).Should().OnlyContain(s => s.Ms == after[s.Iteration - 1], "once the new conf is read, every later iteration runs it");
    }

    private static string PluginBinary
    {
        get
        {
            string inRepository = Path.Combine(RepoPaths.Root, "native", "nccl-tuner", "build", "libnccl-tuner-ccl-agent.so");
            string? fallback = Environment.GetEnvironmentVariable("CCL_AGENT_TUNER_PLUGIN");
            string path = File.Exists(inRepository) || string.IsNullOrEmpty(fallback) ? inRepository : fallback;
            File.Exists(path).Should().BeTrue($"the tuner plugin must be built first: {path} is missing (run bash scripts/build-tuner-plugin.sh)");
            return path;
        }
    }

    private static Dictionary<string, string?> PluginEnvironment(string conf) => new() { ["NCCL_TUNER_PLUGIN"] = PluginBinary, ["NCCL_TUNER_CONFIG_FILE"] = conf };

    private string Conf(string row) => _temp.Write("nccl_tuner.conf", $"# {TunerConfWriter.Header}\n{row}\n");

    private static Task<(int ExitCode, string Stdout, string Stderr)> Train(Dictionary<string, string?> environment, int iterations) =>
        CliProcess.RunAsync(Clean(environment), "sim", "train", "--workload", RepoPaths.Workload(Workload), "--iterations", iterations.ToString(CultureInfo.InvariantCulture), "--time-scale", "0");

    /// <summary>The test host's NCCL and launcher variables must not steer the job; then <paramref name="environment"/>.</summary>
    private static Dictionary<string, string?> Clean(Dictionary<string, string?> environment)
    {
        Dictionary<string, string?> clean = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(n => n.StartsWith("NCCL_", StringComparison.Ordinal) || n.StartsWith("CCL_TUNER_", StringComparison.Ordinal)
                || n is "OMPI_COMM_WORLD_RANK" or "OMPI_COMM_WORLD_SIZE" or "PMI_RANK" or "PMI_SIZE" or "PMIX_RANK" or "PMIX_SIZE" or "RANK" or "WORLD_SIZE" or "SLURM_PROCID" or "SLURM_NTASKS")
            .ToDictionary(n => n, _ => (string?)null, StringComparer.Ordinal);
        foreach ((string name, string? value) in environment)
        {
            clean[name] = value;
        }

        return clean;
    }

    /// <summary>Runs `sim train` and hands each metrics line to <paramref name="onMetric"/> as it arrives, until it returns true.</summary>
    private static async Task Stream(Dictionary<string, string?> environment, string[] options, Func<Metric, bool> onMetric)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach ((string name, string? value) in Clean(environment))
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

        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"), "sim", "train", "--workload", RepoPaths.Workload(Workload), .. options])
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (onMetric(Parse(line)))
                {
                    return;
                }
            }

            await process.WaitForExitAsync(timeout.Token);
            throw new InvalidOperationException($"sim train ended (exit {process.ExitCode}) before the switch was seen: {await stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The times the simulator gives <paramref name="config"/>, iteration by iteration, with the run's seed (1), as printed.</summary>
    private static string[] Expected(NcclConfig config, int iterations)
    {
        SimulatedCluster cluster = ClusterAsync(1).GetAwaiter().GetResult();
        return [.. Enumerable.Range(0, iterations).Select(_ => cluster.Measure(config, 1).IterationMs[0].ToString("F3", CultureInfo.InvariantCulture))];
    }

    private static async Task<NcclConfig> WithAllReduceChoice(TunerChoice choice)
    {
        SimulatedCluster cluster = await ClusterAsync(1);
        return cluster.TunerKeys.Where(k => k.Op == CollectiveOp.AllReduce).Aggregate(NcclConfig.Default, (config, key) => config.WithChoice(key, choice));
    }

    private static async Task<SimulatedCluster> ClusterAsync(int seed)
    {
        LoadResult<WorkloadSpec> loaded = await WorkloadLoader.LoadAsync(RepoPaths.Workload(Workload), CancellationToken.None);
        return new SimulatedCluster(loaded.Value!, new SimulationOptions { Seed = seed });
    }

    private static IReadOnlyList<Metric> Metrics(string stdout) => [.. Lines(stdout).Select(Parse)];

    private static Metric Parse(string line)
    {
        line.Should().StartWith("CCL_METRICS {");
        using JsonDocument json = JsonDocument.Parse(line["CCL_METRICS ".Length..]);
        JsonElement root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal("iteration", "iteration_ms", "plugin_calls", "tuned_collectives");
        return new Metric(root.GetProperty("iteration").GetInt32(), root.GetProperty("iteration_ms").GetRawText(),
            root.GetProperty("plugin_calls").GetInt32(), root.GetProperty("tuned_collectives").GetInt32());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One CCL_METRICS line; the time kept as printed (3 decimals) so runs compare exactly.</summary>
    private sealed record Metric(int Iteration, string IterationMs, int PluginCalls, int TunedCollectives);
}
