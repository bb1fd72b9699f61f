using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Cli.Tests;

/// <summary><c>tune --in-job</c>: one job retuned in place through the tuner plugin, on the simulator and for real.</summary>
[Collection(RealProcessTests.Name)]
public sealed class InJobTuneTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-injob-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_dry_run_in_job_launches_the_job_once_and_measures_table_changes_as_windows_charged_no_restart()
    {
        var (code, stdout, stderr) = await Tune("workload/sim/l40s-1x8-pcie-ddp.json", "--dry-run", "--in-job", "--max-steps", "8", "--json");

        code.Should().Be(0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        JsonElement root = summary.RootElement;
        int launches = root.GetProperty("job_launches").GetInt32();
        int windows = root.GetProperty("in_job_windows").GetInt32();
        launches.Should().BeGreaterThanOrEqualTo(1);
        windows.Should().BeGreaterThan(0);
        root.TryGetProperty("plugin_decisions_verified", out _).Should().BeFalse("the simulated plugin has no decision log to check");

        string run = Directory.GetDirectories(Path.Combine(_temp, "art")).Single();
        var steps = Directory.GetFiles(Path.Combine(run, "steps"), "step_*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        steps.Count(s => s["job_launched"]!.GetValue<bool>()).Should().BeLessThanOrEqualTo(launches);
        JsonNode baseline = steps.Single(s => s["kind"]!.GetValue<string>() == "baseline");
        baseline["job_launched"]!.GetValue<bool>().Should().BeTrue();
        JsonNode window = steps.First(s => !s["job_launched"]!.GetValue<bool>() && s["status"]!.GetValue<string>() == "ok");
        double iterations = window["metrics"]!["samples"]!.GetValue<int>() + 1; // the straddling iteration is charged too
        double windowMs = window["metrics"]!["iteration_ms_median"]!.GetValue<double>();
        window["cluster_seconds"]!.GetValue<double>().Should().BeLessThan(iterations * windowMs * 1.5 / 1000, "a window pays its iterations, no job start");
        File.Exists(Path.Combine(run, "postrun", "nccl_tuner.conf")).Should().BeTrue();
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_real_mpirun_job_loads_the_real_plugin_on_every_rank_is_retuned_without_restarting_and_ends_on_the_delivered_table()
    {
        var (code, stdout, stderr) = await Tune("workload/local/mpirun-in-job-sim-train.json", "--in-job", "--max-steps", "4", "--json");

        code.Should().Be(0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        JsonElement root = summary.RootElement;
        root.GetProperty("mode").GetString().Should().Be("real");
        root.GetProperty("in_job_windows").GetInt32().Should().BeGreaterThan(0);
        root.GetProperty("job_launches").GetInt32().Should().BeGreaterThanOrEqualTo(1);
        root.GetProperty("plugin_decisions_verified").GetBoolean().Should().BeTrue();

        string run = Directory.GetDirectories(Path.Combine(_temp, "art")).Single();
        var steps = Directory.GetFiles(Path.Combine(run, "steps"), "step_*.json").Where(f => !f.EndsWith("_command.json", StringComparison.Ordinal))
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        steps.Should().Contain(s => s["job_launched"]!.GetValue<bool>() == false && s["status"]!.GetValue<string>() == "ok" && s["decisions_verified"]!.GetValue<bool>(),
            "a table change was measured inside the running job and the plugin's log matched it");

        // Every rank of the mpirun job loaded the real plugin and logged its decisions; the last table each loaded is the deliverable.
        string[] logs = Directory.GetFiles(Path.Combine(run, "injob", "decisions"), "decisions_*.jsonl");
        var loads = logs.SelectMany(File.ReadAllLines).Select(l => JsonNode.Parse(l)!).Where(r => r["event"]!.GetValue<string>() == "load").ToList();
        loads.Select(l => l["pid"]!.GetValue<long>()).Distinct().Count().Should().BeGreaterThanOrEqualTo(4);
        loads.Should().OnlyContain(l => l["abi"]!.GetValue<int>() == 5 && l["status"]!.GetValue<string>() == "loaded");
        var lastLaunch = loads.GroupBy(l => l["pid"]!.GetValue<long>()).OrderBy(g => g.Min(l => l["time_ns"]!.GetValue<long>())).TakeLast(4);
        lastLaunch.Should().OnlyContain(g => g.MaxBy(l => l["time_ns"]!.GetValue<long>())!["table_id"]!.GetValue<string>() == "deliverable");
        string live = await File.ReadAllTextAsync(Path.Combine(run, "injob", "nccl_tuner.conf"));
        string delivered = await File.ReadAllTextAsync(Path.Combine(run, "postrun", "nccl_tuner.conf"));
        live.Should().StartWith("# ccl-agent: table_id=deliverable");
        Rows(live).Should().Equal(root.GetProperty("defaults_delivered").GetBoolean() ? [] : Rows(delivered), "the job keeps running the delivered table");
    }

    [Fact]
    public async Task A_real_in_job_run_without_the_plugin_says_how_to_build_it()
    {
        var (code, _, stderr) = await Tune("workload/local/mpirun-in-job-sim-train.json", "--in-job", "--tuner-plugin", Path.Combine(_temp, "missing.so"));

        code.Should().Be(3, stderr);
        stderr.Should().Contain("missing.so").And.Contain("build-tuner-plugin.sh");
        stderr.Trim().Split('\n').Should().ContainSingle();
    }

    private static string[] Rows(string conf) => [.. conf.Split('\n').Where(l => l.Length > 0 && l[0] != '#')];

    private Task<(int ExitCode, string Stdout, string Stderr)> Tune(string workload, params string[] extra) =>
        CliRunner.RunAsync(["tune", "--workload", workload, "--provider", "none", "--quiet", "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db"), .. extra]);
}
