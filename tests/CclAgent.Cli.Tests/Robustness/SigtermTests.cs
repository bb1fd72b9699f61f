using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// SIGTERM (a scheduler's stop, kill, a container shutdown) stops `tune` as Ctrl+C does: the command's token is
/// cancelled, the run directory is finished as cancelled, one line goes to stderr and the exit code is 143, also
/// while the offline planning is still running and when a second signal follows the first.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SigtermTests : IDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _temp = new("ccl-sigterm-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sigterm_during_planning_cancels_the_run_exits_143_and_never_prints_a_stack_trace_even_on_a_second_signal()
    {
        // Hundreds of distinct collectives (no two alike, so none are merged): the microbenchmark alone takes many seconds.
        JsonObject workload = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload/sim/h100-2x8-ib400-fsdp.json")))!.AsObject();
        JsonObject shape = workload["iteration"]!["collectives"]![0]!.AsObject();
        var collectives = new JsonArray();
        for (int i = 0; i < 600; i++)
        {
            JsonObject entry = shape.DeepClone().AsObject();
            entry["name"] = $"layer_{i}";
            entry["bytes"] = (1 << 20) + (i * 4096);
            collectives.Add(entry);
        }

        workload["iteration"]!["collectives"] = collectives;
        string file = Path.Combine(_temp.Path, "many.json");
        await File.WriteAllTextAsync(file, workload.ToJsonString());
        string artifacts = Path.Combine(_temp.Path, "art");

        using var tune = CliChild.Start("tune", "--workload", file, "--dry-run", "--provider", "none", "--quiet", "--artifacts-root", artifacts, "--memory", Path.Combine(_temp.Path, "m.db"));
        bool planning = await tune.WaitUntilAsync(() => RunContextStatus(artifacts) == "running" && !File.Exists(Path.Combine(RunDirectory(artifacts)!, "offline", "plan.json")), Guard);
        planning.Should().BeTrue("the run should have started and still be planning when the signal is sent");

        await tune.SignalAsync("TERM");
        await Task.Delay(300);
        if (!tune.HasExited)
        {
            await tune.SignalAsync("TERM"); // an impatient second signal
        }

        (int code, _, string stderr) = await tune.WaitAsync(Guard);

        code.Should().Be(ExitCodes.Terminated, stderr);
        stderr.Should().NotContain("   at ", "a signal is not a crash");
        stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("cancelled");
        RunContextStatus(artifacts).Should().Be("cancelled");
        File.Exists(Path.Combine(RunDirectory(artifacts)!, "offline", "plan.json")).Should().BeFalse("the signal arrived during planning");
    }

    [Fact]
    public async Task Sigterm_during_a_real_step_kills_the_job_and_exits_143_with_the_run_marked_cancelled()
    {
        string marker = "ccl-term-" + Path.GetFileName(_temp.Path);
        string script = Path.Combine(_temp.Path, "slow.sh");
        await File.WriteAllTextAsync(script, $$"""
            if [ "$CCL_AGENT_STEP" = 1 ]; then
              bash -c 'exec -a {{marker}} sleep 600' &
              wait
            fi
            for i in 1 2 3 4; do echo "CCL_METRICS {\"iteration_ms\": 20.$i}"; done
            """);
        string workload = await RealWorkload.WriteAsync(_temp.Path, "slow.json", new JsonObject
        {
            ["command"] = new JsonArray("/bin/sh", script),
            ["tuning"] = new JsonObject { ["budget"] = 3, ["warmup_iterations"] = 0, ["step_timeout_seconds"] = 600 },
        });
        string artifacts = Path.Combine(_temp.Path, "art");

        using var tune = CliChild.Start("tune", "--workload", workload, "--provider", "none", "--quiet", "--artifacts-root", artifacts, "--memory", Path.Combine(_temp.Path, "m.db"));
        bool stepRunning = false;
        for (int i = 0; i < 1200 && !stepRunning && !tune.HasExited; i++)
        {
            stepRunning = await CliChild.AnyProcessMatchingAsync(marker);
            await Task.Delay(100);
        }

        stepRunning.Should().BeTrue("step 1 should have started");
        await tune.SignalAsync("TERM");
        (int code, _, string stderr) = await tune.WaitAsync(Guard);

        code.Should().Be(ExitCodes.Terminated, stderr);
        stderr.Should().NotContain("   at ");
        RunContextStatus(artifacts).Should().Be("cancelled");
        (await CliChild.AnyProcessMatchingAsync(marker)).Should().BeFalse("the step's process tree must not outlive SIGTERM");
        File.Exists(Path.Combine(RunDirectory(artifacts)!, "steps", "step_0.json")).Should().BeTrue("the baseline's record is kept");
    }

    private static string? RunDirectory(string artifacts) =>
        Directory.Exists(artifacts) ? Directory.GetDirectories(artifacts).SingleOrDefault() : null;

    private static string? RunContextStatus(string artifacts)
    {
        string? run = RunDirectory(artifacts);
        string? file = run is null ? null : Path.Combine(run, "run_context.json");
        if (file is null || !File.Exists(file))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(file))?["status"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            return null; // being replaced right now (atomic rename): look again
        }
    }
}
