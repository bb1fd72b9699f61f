using System.Text.Json;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

public sealed class TuneCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-cli-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Tune_dry_run_exits_0_with_a_complete_run_directory_and_a_json_summary()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("tune", "--workload", "workload/sim/l40s-1x8-pcie-ddp.json", "--dry-run",
            "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db"), "--max-steps", "8", "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.True(summary.RootElement.GetProperty("speedup").GetDouble() >= 1.0);
        Assert.True(summary.RootElement.GetProperty("oracle_iteration_ms").GetDouble() > 0);
        Assert.Contains("step", stderr);

        string run = Directory.GetDirectories(Path.Combine(_temp, "art")).Single();
        foreach (string file in new[] { "run_context.json", "config_snapshot.json", "trace/events.jsonl", "offline/plan.json", "steps/step_0.json", "steps/step_1.json", "postrun/summary.json", "postrun/best_config.env", "postrun/nccl_tuner.conf", "postrun/report.md", "logs/ccl-agent.clef" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        }

        Assert.All(File.ReadAllLines(Path.Combine(run, "trace/events.jsonl")), line => JsonDocument.Parse(line).Dispose());
    }

    [Fact]
    public async Task Malformed_workload_json_exits_2_with_one_line_naming_the_file()
    {
        string path = Path.Combine(_temp, "bad.json");
        await File.WriteAllTextAsync(path, "{ \"name\": \"x\", ");
        var (code, _, stderr) = await InProcessCli.RunAsync("tune", "--workload", path, "--dry-run", "--artifacts-root", _temp, "--memory", Path.Combine(_temp, "m.db"));

        code.Should().Be(2);
        stderr.Should().Contain("bad.json").And.NotContain("   at ");
    }

    [Fact]
    public async Task Unknown_field_exits_2_and_names_its_json_path()
    {
        string spec = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "workload/sim/l40s-1x8-pcie-ddp.json"));
        string path = Path.Combine(_temp, "unknown.json");
        await File.WriteAllTextAsync(path, spec.Replace("\"pcie_gen\": 4", "\"pcie_gen\": 4, \"pcie_lanes\": 16", StringComparison.Ordinal));
        var (code, _, stderr) = await InProcessCli.RunAsync("tune", "--workload", path, "--dry-run", "--artifacts-root", _temp, "--memory", Path.Combine(_temp, "m.db"));

        code.Should().Be(2);
        stderr.Should().Contain("$.cluster.pcie_lanes");
        stderr.Trim().Split('\n').Should().ContainSingle();
    }

    [Fact]
    public async Task Out_of_range_value_exits_2_and_says_what_was_expected()
    {
        string spec = await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "workload/sim/l40s-1x8-pcie-ddp.json"));
        string path = Path.Combine(_temp, "range.json");
        await File.WriteAllTextAsync(path, spec.Replace("\"overlap\": 0.7", "\"overlap\": 1.7", StringComparison.Ordinal));
        var (code, _, stderr) = await InProcessCli.RunAsync("tune", "--workload", path, "--dry-run", "--artifacts-root", _temp, "--memory", Path.Combine(_temp, "m.db"));

        code.Should().Be(2);
        stderr.Should().Contain("$.iteration.collectives[0].overlap").And.Contain("expected");
    }

    [Fact]
    public async Task Missing_workload_file_exits_2()
    {
        var (code, _, stderr) = await InProcessCli.RunAsync("tune", "--workload", Path.Combine(_temp, "nope.json"), "--dry-run", "--artifacts-root", _temp, "--memory", Path.Combine(_temp, "m.db"));

        code.Should().Be(2);
        stderr.Should().Contain("nope.json");
    }

    [Fact]
    public async Task Help_lists_the_tune_verb_and_its_options()
    {
        var (code, stdout, _) = await InProcessCli.RunAsync("tune", "--help");

        code.Should().Be(0);
        stdout.Should().ContainAll("--workload", "--config", "--dry-run", "--simulate-workload", "--provider", "--model", "--artifacts-root", "--memory", "--seed", "--max-steps", "--json", "--quiet");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Help_from_the_real_executable_matches_the_in_process_help()
    {
        var (code, stdout, _) = await CliRunner.RunAsync("tune", "--help");
        var (_, inProcess, _) = await InProcessCli.RunAsync("tune", "--help");

        code.Should().Be(0);
        Approvals.Normalise(stdout).Should().Be(Approvals.Normalise(inProcess));
    }
}
