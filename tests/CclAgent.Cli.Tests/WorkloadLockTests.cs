using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CclAgent.Cli.Tests;

/// <summary>
/// Two unattended tunes of one workload with one memory file never interleave: the lock is a real <c>flock(2)</c> on
/// <c>&lt;memory&gt;.&lt;workload&gt;.lock</c> (docs/running-real-jobs.md), held here by another process, util-linux's
/// <c>flock(1)</c>, exactly as a shell script or a second ccl-agent would hold it.
/// </summary>
public sealed class WorkloadLockTests : IDisposable
{
    private const string Workload = "workload/sim/h100-1x8-nvswitch-tp8.json";
    private const string OtherWorkload = "workload/sim/autoccl-a40-4x8-phi2.json";
    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-lock-").FullName;

    private string MemoryFile => Path.Combine(_dir, "memory.db");
    private string Artifacts => Path.Combine(_dir, "runs");
    private string LockFile => MemoryFile + ".h100-1x8-nvswitch-tp8.lock";

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_tune_of_a_locked_workload_exits_9_in_one_line_and_writes_nothing_while_another_workload_runs()
    {
        using Process holder = await HoldLockAsync(seconds: 120);
        try
        {
            var locked = await InProcessCli.RunAsync(Tune(Workload));
            var other = await InProcessCli.RunAsync(Tune(OtherWorkload));

            locked.ExitCode.Should().Be(ExitCodes.Locked);
            locked.Stderr.Trim().Should().NotContain("\n").And.Contain("h100-1x8-nvswitch-tp8").And.Contain("--wait-lock");
            Directory.GetDirectories(Artifacts).Should().ContainSingle("only the other workload ran");
            other.ExitCode.Should().Be(0, other.Stderr);
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task With_wait_lock_a_tune_waits_for_the_holder_to_release_and_then_runs()
    {
        using Process holder = await HoldLockAsync(seconds: 2);

        var waited = await InProcessCli.RunAsync([.. Tune(Workload), "--wait-lock", "60"]);

        waited.ExitCode.Should().Be(0, waited.Stderr);
        holder.HasExited.Should().BeTrue("the tune could only start after the holder let go");
    }

    [Fact]
    public async Task Two_concurrent_tunes_of_one_workload_with_wait_lock_both_finish_one_after_the_other()
    {
        string[] args = [.. Tune(Workload), "--wait-lock", "120"];

        var results = await Task.WhenAll(CliRunner.RunAsync(args), CliRunner.RunAsync(args));

        results.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.Stderr));
        (DateTimeOffset Start, DateTimeOffset End)[] windows = [.. Directory.GetDirectories(Artifacts).Select(Window).OrderBy(w => w.Start)];
        windows.Should().HaveCount(2);
        windows[1].Start.Should().BeOnOrAfter(windows[0].End, "the second run may start only once the first has finished");
    }

    [Fact]
    public async Task A_negative_wait_lock_is_refused_with_exit_2()
    {
        var refused = await InProcessCli.RunAsync([.. Tune(Workload), "--wait-lock", "-1"]);

        refused.ExitCode.Should().Be(ExitCodes.InvalidInput);
        refused.Stderr.Should().Contain("--wait-lock");
    }

    private string[] Tune(string workload) =>
        ["tune", "--workload", workload, "--dry-run", "--quiet", "--provider", "none", "--max-steps", "2", "--memory", MemoryFile, "--artifacts-root", Artifacts];

    private static (DateTimeOffset Start, DateTimeOffset End) Window(string run)
    {
        JsonNode context = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run_context.json")))!;
        return (context["started_at"]!.GetValue<DateTimeOffset>(), context["finished_at"]!.GetValue<DateTimeOffset>());
    }

    /// <summary>Starts <c>flock LOCK -c 'echo held; sleep N'</c> and returns once it says it holds the lock.</summary>
    private async Task<Process> HoldLockAsync(int seconds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(LockFile)!);
        var start = new ProcessStartInfo("flock") { RedirectStandardOutput = true };
        foreach (string arg in new[] { LockFile, "-c", $"echo held; sleep {seconds}" })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        string? line = await process.StandardOutput.ReadLineAsync();
        line.Should().Be("held");
        return process;
    }
}
