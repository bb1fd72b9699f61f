namespace CclAgent.Memory;

/// <summary>Tells a running run from an interrupted one (killed, preempted, or lost with its node).</summary>
public static class RunStatuses
{
    /// <summary>No trial for this long and the run is taken for dead, whichever host it ran on.</summary>
    /// <remarks>Longer than any one step may take under tune's timeouts, so a slow step is never read as a death.</remarks>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(6);

    /// <summary>Runs recorded before liveness was kept: unfinished a day after their start.</summary>
    public static readonly TimeSpan StaleWithoutLivenessAfter = TimeSpan.FromHours(24);

    /// <summary>
    /// The run's status. <paramref name="isAlive"/> says whether a process id is alive on this host
    /// (<see cref="ProcessIsAlive"/> in production); a run of another host is judged by its heartbeat alone.
    /// </summary>
    public static MemoryRunStatus Of(RunRecord run, RunLiveness? liveness, DateTimeOffset now, string thisHost, Func<int, bool> isAlive)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(isAlive);
        if (run.FinishedAt is not null)
        {
            return MemoryRunStatus.Finished;
        }

        if (liveness is null)
        {
            return now - run.StartedAt > StaleWithoutLivenessAfter ? MemoryRunStatus.Interrupted : MemoryRunStatus.Running;
        }

        bool processGone = string.Equals(liveness.Host, thisHost, StringComparison.Ordinal) && !isAlive(liveness.Pid);
        return processGone || now - liveness.HeartbeatAt > StaleAfter ? MemoryRunStatus.Interrupted : MemoryRunStatus.Running;
    }

    /// <summary>
    /// Whether a process with this id exists on this machine. A recycled id reads as alive, so a dead run can look
    /// running until its heartbeat is stale; never the other way round.
    /// </summary>
    public static bool ProcessIsAlive(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
