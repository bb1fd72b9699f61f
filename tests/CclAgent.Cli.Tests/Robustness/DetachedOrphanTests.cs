using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>A real-mode job that leaves a daemon in its own session (setsid) and exits 0 leaves nothing running, after any step or after tune.</summary>
[Trait("Category", "Integration")]
public sealed class DetachedOrphanTests : IDisposable
{
    private readonly TempDirectory _temp = new("ccl-orphan-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_setsid_sleep_started_by_every_step_is_gone_before_the_next_step_and_after_tune_exits()
    {
        string marker = "ccl-setsid-" + Path.GetFileName(_temp.Path);
        string script = _temp.Write("job.sh", $$"""
            # Each step first records whether the previous step's detached sleep is still alive, then starts its own.
            # A killed sleep not yet reaped by ccl-agent (its subreaper) is a zombie, not a survivor: read its state.
            for f in stray_*.pid; do
              [ -e "$f" ] || continue
              state=$(sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' "/proc/$(cat "$f")/stat" 2>/dev/null)
              [ -n "$state" ] && [ "$state" != "Z" ] && echo "$f $state" >> survivors.txt
            done
            setsid bash -c 'exec -a {{marker}} sleep 300' &
            echo $! > "stray_$CCL_AGENT_STEP.pid"
            for i in 1 2 3 4; do echo "CCL_METRICS {\"iteration_ms\": 20.$i}"; done
            exit 0
            """);
        string workload = await RealWorkload.WriteAsync(_temp.Path, "orphan.json", new JsonObject
        {
            ["command"] = new JsonArray("/bin/sh", script),
            ["working_directory"] = _temp.Path,
            ["tuning"] = new JsonObject { ["budget"] = 3, ["warmup_iterations"] = 0, ["step_timeout_seconds"] = 60, ["plateau_steps"] = 10 },
        });

        (int code, _, string stderr) = await CliProcess.RunAsync("tune", "--workload", workload, "--max-steps", "2", "--provider", "none", "--quiet",
            "--artifacts-root", _temp.Combine("art"), "--memory", _temp.File("m.db"));

        code.Should().Be(0, stderr);
        Directory.GetFiles(_temp.Path, "stray_*.pid").Should().HaveCountGreaterThan(1, "every step started a detached sleep");
        File.Exists(_temp.File("survivors.txt")).Should().BeFalse("a step's detached sleep outlived its step: {0}", File.Exists(_temp.File("survivors.txt")) ? File.ReadAllText(_temp.File("survivors.txt")) : string.Empty);
        (await CliChild.AnyProcessMatchingAsync(marker)).Should().BeFalse("no detached sleep may outlive tune");
    }
}
