using System.Text.Json.Nodes;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>Hostile or careless values on the command line and in input files: each is refused with a message a person can act on.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-hostile-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Watch_refuses_a_min_delta_of_nan_with_exit_2()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("watch", "--log", await TrainingLogAsync(), "--once", "--min-delta", "NaN");

        code.Should().Be(2, stderr);
        stderr.Should().Contain("--min-delta");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Watch_refuses_zero_gpus_with_exit_2_like_other_range_errors()
    {
        var (code, _, stderr) = await CliRunner.RunAsync("watch", "--log", await TrainingLogAsync(), "--once", "--gpus", "0");

        code.Should().Be(2, stderr);
        stderr.Should().Contain("--gpus");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_seed_that_is_not_an_integer_is_named_in_words_not_as_a_clr_type()
    {
        var (code, _, stderr) = await Tune("workload/sim/l40s-1x8-pcie-ddp.json", "--seed", "abc");

        code.Should().NotBe(0);
        stderr.Should().Contain("--seed: 'abc' is not an integer").And.NotContain("System.");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_seed_of_2_to_the_31_is_reported_out_of_range_not_as_not_an_integer()
    {
        var (code, _, stderr) = await Tune("workload/sim/l40s-1x8-pcie-ddp.json", "--seed", "2147483648");

        code.Should().NotBe(0);
        stderr.Should().Contain("--seed: 2147483648 is out of range").And.NotContain("not an integer");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task An_integer_too_large_for_its_field_is_reported_out_of_range_not_as_the_wrong_type()
    {
        string workload = await WorkloadAsync(w => w["cluster"]!["nodes"] = 2147483648L);

        var (code, _, stderr) = await Tune(workload, "--dry-run");

        code.Should().Be(2, stderr);
        stderr.Should().Contain("$.cluster.nodes").And.Contain("out of range").And.NotContain("wrong type");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_key_given_twice_in_the_workload_is_refused_with_the_file_and_its_json_path()
    {
        string text = (await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "workload/sim/l40s-1x8-pcie-ddp.json"))).TrimEnd();
        string path = Path.Combine(_temp, "twice.json");
        await File.WriteAllTextAsync(path, text.Replace("\"cluster\": {", "\"cluster\": { \"nodes\": 1, \"nodes\": 2,", StringComparison.Ordinal));
        text.Should().Contain("\"cluster\": {");

        var (code, _, stderr) = await Tune(path, "--dry-run");

        code.Should().Be(2, stderr);
        stderr.Should().Contain("twice.json").And.Contain("$.cluster.nodes").And.Contain("duplicate");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_key_given_twice_in_the_agent_config_is_refused()
    {
        string config = Path.Combine(_temp, "agent.json");
        await File.WriteAllTextAsync(config, """{ "seed": 1, "seed": 2 }""");

        var (code, _, stderr) = await Tune("workload/sim/l40s-1x8-pcie-ddp.json", "--dry-run", "--config", config);

        code.Should().Be(2, stderr);
        stderr.Should().Contain("agent.json").And.Contain("$.seed").And.Contain("duplicate");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_description_over_64_kib_is_refused_at_validation()
    {
        string workload = await WorkloadAsync(w => w["description"] = new string('x', 70_000));

        var (code, _, stderr) = await Tune(workload, "--dry-run");

        code.Should().Be(2, stderr);
        stderr.Should().Contain("$.description").And.Contain("65536");
        Directory.Exists(Path.Combine(_temp, "art")).Should().BeFalse("nothing is written for a refused workload");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_dry_run_warns_once_for_each_NCCL_variable_set_for_the_real_job_that_the_simulated_job_does_not_apply()
    {
        string workload = await WorkloadAsync(w => w["env"] = new JsonObject { ["NCCL_IB_HCA"] = "mlx5_0", ["NCCL_DEBUG"] = "INFO", ["OMP_NUM_THREADS"] = "8" });

        var (code, _, stderr) = await Tune(workload, "--dry-run", "--env", "NCCL_SOCKET_IFNAME=eth0");

        code.Should().Be(0, stderr);
        string[] warnings = [.. stderr.Split('\n').Where(l => l.StartsWith("warning: the simulator ignores", StringComparison.Ordinal))];
        warnings.Should().HaveCount(2, "NCCL_DEBUG only changes logging and OMP_NUM_THREADS is not NCCL's");
        warnings[0].Should().Contain("NCCL_IB_HCA=mlx5_0");
        warnings[1].Should().Contain("NCCL_SOCKET_IFNAME=eth0");
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Tune(string workload, params string[] extra) =>
        CliRunner.RunAsync(["tune", "--workload", workload, "--provider", "none", "--quiet", "--max-steps", "2", "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db"), .. extra]);

    private async Task<string> WorkloadAsync(Action<JsonObject> change)
    {
        JsonObject workload = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "workload/sim/l40s-1x8-pcie-ddp.json")))!.AsObject();
        change(workload);
        string path = Path.Combine(_temp, "workload.json");
        await File.WriteAllTextAsync(path, workload.ToJsonString());
        return path;
    }

    private async Task<string> TrainingLogAsync()
    {
        string path = Path.Combine(_temp, "train.log");
        await File.WriteAllTextAsync(path, "Epoch [1][10/100]\tlr: 1.000e-03, eta: 0:10:00, time: 0.500, loss: 1.2345\n");
        return path;
    }
}
