using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Cli.Tests;

/// <summary>
/// `ccl-agent tune` without --dry-run: real processes through real launchers (mpirun, srun), the real
/// nccl-tests microbenchmark (the simulator's drop-in binary), real parsing, real timeouts.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealProcessTests.Name)]
public sealed class RealJobTuneTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-real-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Tuning_an_mpirun_np_4_nccl_tests_job_finds_a_configuration_faster_than_nccl_defaults()
    {
        var (code, stdout, stderr) = await Tune("workload/local/mpirun-sim-nccl-tests.json", "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        JsonElement root = summary.RootElement;
        Assert.Equal("real", root.GetProperty("mode").GetString());
        Assert.True(root.GetProperty("speedup").GetDouble() > 1.05, $"speedup {root.GetProperty("speedup")}");
        Assert.NotEmpty(root.GetProperty("best_config").EnumerateObject());

        string run = RunDirectory();
        JsonNode baseline = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_0_command.json")))!;
        Assert.Equal("mpirun", baseline["launcher"]!.GetValue<string>());
        Assert.Equal("-np", baseline["argv"]![baseline["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList().IndexOf("-np")]!.GetValue<string>());
        JsonNode step = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_1.json")))!;
        Assert.Equal(8, step["metrics"]!["samples"]!.GetValue<int>()); // -N 8: one sample per nccl-tests cycle
        Assert.Contains("Avg bus bandwidth", await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_0_stdout.log")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "offline", "microbenchmark", "run_1_stdout.log")), "the microbenchmark ran nccl-tests for real");
        JsonNode bench = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "offline", "microbenchmark.json")))!;
        Assert.InRange(bench["runs"]!.GetValue<int>(), 13, 40); // defaults + every subspace, then sweeps within max_runs

        // A real run is charged the measured wall time of what it ran: the nccl-tests runs and every job run.
        double microbenchSeconds = root.GetProperty("microbenchmark_cluster_seconds").GetDouble();
        Assert.True(microbenchSeconds > 0, $"microbenchmark_cluster_seconds {microbenchSeconds}");
        Assert.True(root.GetProperty("cluster_seconds").GetDouble() > microbenchSeconds);
        Assert.Equal(microbenchSeconds, bench["cluster_seconds"]!.GetValue<double>(), 3);
        Assert.Contains(bench["importance"]!.AsObject(), kv => kv.Key != "NCCL_ALGO" && kv.Key != "NCCL_PROTO" && kv.Value!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task A_hung_step_is_killed_at_its_timeout_with_no_orphan_and_the_run_continues_after_a_rollback()
    {
        string marker = "ccl-hang-" + Path.GetFileName(_temp);
        string script = Path.Combine(_temp, "job.sh");
        await File.WriteAllTextAsync(script, $$"""
            # A fake training job: step 1 hangs (with a grandchild holding the pipes), every other step prints iteration times.
            if [ "$CCL_AGENT_STEP" = 1 ]; then
              bash -c 'exec -a {{marker}} sleep 600' &
              wait
            fi
            base=20
            [ "$NCCL_PROTO" = "Simple" ] && base=18
            for i in 1 2 3 4 5 6; do echo "CCL_METRICS {\"iteration\": $i, \"iteration_ms\": $base.$i}"; done
            """);
        string workload = await WriteWorkloadAsync("hang.json", new JsonObject
        {
            ["command"] = new JsonArray("/bin/sh", script),
            ["tuning"] = new JsonObject { ["budget"] = 3, ["warmup_iterations"] = 1, ["step_timeout_seconds"] = 3, ["plateau_steps"] = 10 },
        });

        var (code, _, stderr) = await Tune(workload);

        Assert.True(code == 0, stderr);
        string run = RunDirectory();
        JsonNode hung = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_1.json")))!;
        Assert.Equal("timeout", hung["failure_class"]!.GetValue<string>());
        Assert.Equal("rollback", hung["decision"]!["decision"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(run, "steps", "step_2.json")), "the run went on after the hung step");
        Assert.False(await AnyProcessNamedAsync(marker), "the hung step's grandchild outlived the timeout");
    }

    [Fact]
    public async Task Ctrl_c_during_a_real_step_kills_the_job_tree_and_exits_130_keeping_the_run_directory()
    {
        string marker = "ccl-int-" + Path.GetFileName(_temp);
        string script = Path.Combine(_temp, "slow.sh");
        await File.WriteAllTextAsync(script, $$"""
            if [ "$CCL_AGENT_STEP" = 1 ]; then
              bash -c 'exec -a {{marker}} sleep 600' &
              wait
            fi
            for i in 1 2 3 4; do echo "CCL_METRICS {\"iteration_ms\": 20.$i}"; done
            """);
        string workload = await WriteWorkloadAsync("slow.json", new JsonObject
        {
            ["command"] = new JsonArray("/bin/sh", script),
            ["tuning"] = new JsonObject { ["budget"] = 3, ["warmup_iterations"] = 0, ["step_timeout_seconds"] = 600 },
        });
        // SIGINT back to its default: a test host started from a background job inherits it ignored, and so would the
        // agent (it rightly keeps an ignored SIGINT ignored, as background jobs do); a user's Ctrl+C reaches a foreground one.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = CliRunner.RepoRoot };
        foreach (string arg in (string[])["--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll"), "tune", "--workload", workload, "--provider", "none", "--quiet", "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db")])
        {
            start.ArgumentList.Add(arg);
        }

        using Process tune = Process.Start(start)!;
        Task<string> stderr = tune.StandardError.ReadToEndAsync();
        Task<string> stdout = tune.StandardOutput.ReadToEndAsync();
        for (int i = 0; i < 600 && !await AnyProcessNamedAsync(marker); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(await AnyProcessNamedAsync(marker), "step 1 never started");
        using (Process kill = Process.Start(new ProcessStartInfo("kill", ["-INT", tune.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!)
        {
            await kill.WaitForExitAsync();
        }

        // Generous: on a loaded 2-core CI machine the post-run phase after Ctrl+C (learning, deliverables) can take a while.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            await tune.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            tune.Kill(entireProcessTree: true);
            Assert.Fail($"tune did not exit within 150 s of SIGINT; stderr: {await stderr}");
        }

        await stdout;

        Assert.True(tune.ExitCode == 130, await stderr);
        Assert.False(await AnyProcessNamedAsync(marker), "the step's process tree outlived Ctrl+C");
        Assert.True(File.Exists(Path.Combine(RunDirectory(), "steps", "step_0.json")), "the baseline's record was lost");
    }

    [Fact]
    public async Task A_tune_step_runs_through_srun_on_the_local_slurm_cluster()
    {
        // The shipped example, with a smaller microbenchmark to keep the test short.
        JsonObject example = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(CliRunner.RepoRoot, "workload/local/srun-sim-nccl-tests.json")))!.AsObject();
        example["microbenchmark"]!["max_runs"] = 4;
        string workload = Path.Combine(_temp, "srun.json");
        await File.WriteAllTextAsync(workload, example.ToJsonString());

        var (code, stdout, stderr) = await Tune(workload, "--max-steps", "2", "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.Equal("real", summary.RootElement.GetProperty("mode").GetString());
        string run = RunDirectory();
        JsonNode command = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_1_command.json")))!;
        Assert.Equal("srun", command["argv"]![0]!.GetValue<string>());
        JsonNode step = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_1.json")))!;
        Assert.True(step["metrics"]!["samples"]!.GetValue<int>() > 0, "srun step produced no samples");
    }

    [Fact]
    public async Task Simulate_workload_runs_the_real_microbenchmark_and_simulates_the_job()
    {
        string workload = await WriteWorkloadAsync("simwl.json", new JsonObject { ["tuning"] = new JsonObject { ["budget"] = 3 } });

        var (code, stdout, stderr) = await Tune(workload, "--simulate-workload", "--json");

        Assert.True(code == 0, stderr);
        using JsonDocument summary = JsonDocument.Parse(stdout);
        Assert.Equal("simulate-workload", summary.RootElement.GetProperty("mode").GetString());
        string run = RunDirectory();
        Assert.True(File.Exists(Path.Combine(run, "offline", "microbenchmark", "run_1_command.json")), "no real microbenchmark run");
        Assert.False(File.Exists(Path.Combine(run, "steps", "step_0_stdout.log")), "the job should be simulated, not started");
    }

    [Fact]
    public async Task A_real_run_without_a_command_exits_3_naming_the_field()
    {
        var (code, _, stderr) = await Tune("workload/sim/l40s-1x8-pcie-ddp.json");

        Assert.Equal(3, code);
        Assert.Contains("$.command", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_launcher_program_exits_3_naming_it()
    {
        string workload = await WriteWorkloadAsync("nolauncher.json", new JsonObject
        {
            ["command"] = new JsonArray("/bin/true"),
            ["launcher"] = new JsonObject { ["kind"] = "mpirun", ["np"] = 2, ["program"] = "/nonexistent/mpirun" },
        });

        var (code, _, stderr) = await Tune(workload);

        Assert.Equal(3, code);
        Assert.Contains("/nonexistent/mpirun", stderr, StringComparison.Ordinal);
        Assert.Contains("$.launcher", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_launcher_kind_exits_2_with_its_json_path()
    {
        string workload = await WriteWorkloadAsync("badkind.json", new JsonObject
        {
            ["command"] = new JsonArray("/bin/true"),
            ["launcher"] = new JsonObject { ["kind"] = "pdsh", ["rdzv_endpoint"] = "no-port" },
        });

        var (code, _, stderr) = await Tune(workload, "--dry-run");

        Assert.Equal(2, code);
        Assert.Contains("$.launcher.kind", stderr, StringComparison.Ordinal);
        Assert.Contains("$.launcher.rdzv_endpoint", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_env_override_without_an_equals_sign_exits_2()
    {
        var (code, _, stderr) = await Tune("workload/local/mpirun-sim-nccl-tests.json", "--env", "NCCL_DEBUG");

        Assert.Equal(2, code);
        Assert.Contains("--env: 'NCCL_DEBUG' is not NAME=VALUE", stderr, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Tune(string workload, params string[] extra) =>
        CliRunner.RunAsync(["tune", "--workload", workload, "--provider", "none", "--quiet", "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db"), .. extra]);

    private string RunDirectory() => Directory.GetDirectories(Path.Combine(_temp, "art")).Single();

    private Task<string> WriteWorkloadAsync(string name, JsonObject overrides) => RealWorkload.WriteAsync(_temp, name, overrides);

    private static async Task<bool> AnyProcessNamedAsync(string name)
    {
        using Process pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", name]) { RedirectStandardOutput = true })!;
        await pgrep.WaitForExitAsync();
        return pgrep.ExitCode == 0;
    }
}
