using System.Diagnostics;
using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class RunStatusTests : IDisposable
{
    private const string Host = "node-a";
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void A_run_whose_process_has_exited_reads_as_interrupted()
    {
        int deadPid = ExitedProcessId();
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordLiveness("run-1", Environment.MachineName, deadPid);

        MemoryRunStatus status = StatusOf("run-1", Environment.MachineName, RunStatuses.ProcessIsAlive);

        status.Should().Be(MemoryRunStatus.Interrupted);
    }

    [Fact]
    public void A_run_of_this_very_process_reads_as_running()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordLiveness("run-1", Environment.MachineName, Environment.ProcessId);

        StatusOf("run-1", Environment.MachineName, RunStatuses.ProcessIsAlive).Should().Be(MemoryRunStatus.Running);
    }

    [Fact]
    public void A_run_on_another_host_is_judged_by_its_heartbeat_alone()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordLiveness("run-1", "other-host", 1);
        _bed.Time.Advance(TimeSpan.FromHours(5));

        StatusOf("run-1", Host, _ => false).Should().Be(MemoryRunStatus.Running);

        _bed.Time.Advance(TimeSpan.FromHours(2));
        StatusOf("run-1", Host, _ => false).Should().Be(MemoryRunStatus.Interrupted);
    }

    [Fact]
    public void Every_recorded_trial_moves_the_heartbeat()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordLiveness("run-1", "other-host", 1);
        _bed.Time.Advance(TimeSpan.FromHours(5));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));
        _bed.Time.Advance(TimeSpan.FromHours(5));

        _bed.Store.Liveness()["run-1"].HeartbeatAt.Should().Be(TestBed.Start.AddHours(5));
        StatusOf("run-1", Host, _ => true).Should().Be(MemoryRunStatus.Running);
    }

    [Fact]
    public void A_finished_run_is_finished_whatever_its_process()
    {
        _bed.Store.RecordRun(Records.Finished("run-1", Contexts.A40Pcie, 1.1, TestBed.Start));
        _bed.Store.RecordLiveness("run-1", Host, 12345);

        StatusOf("run-1", Host, _ => false).Should().Be(MemoryRunStatus.Finished);
    }

    [Fact]
    public void A_run_recorded_without_liveness_is_interrupted_a_day_after_its_start()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Time.Advance(TimeSpan.FromHours(23));
        StatusOf("run-1", Host, _ => true).Should().Be(MemoryRunStatus.Running);

        _bed.Time.Advance(TimeSpan.FromHours(2));
        StatusOf("run-1", Host, _ => true).Should().Be(MemoryRunStatus.Interrupted);
    }

    [Fact]
    public void Liveness_survives_reopening_the_memory()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordLiveness("run-1", Host, 42);

        RunLiveness liveness = _bed.Reopen().Liveness()["run-1"];

        liveness.Should().BeEquivalentTo(new RunLiveness { RunId = "run-1", Host = Host, Pid = 42, HeartbeatAt = TestBed.Start });
    }

    private MemoryRunStatus StatusOf(string runId, string thisHost, Func<int, bool> isAlive)
    {
        RunRecord run = _bed.Store.Runs().Single(r => r.RunId == runId);
        return RunStatuses.Of(run, _bed.Store.Liveness().GetValueOrDefault(runId), _bed.Time.GetUtcNow(), thisHost, isAlive);
    }

    /// <summary>The id of a real process that has exited and been reaped.</summary>
    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
