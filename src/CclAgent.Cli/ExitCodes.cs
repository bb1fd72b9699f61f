namespace CclAgent.Cli;

/// <summary>Every exit code ccl-agent returns (documented in the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command line itself is wrong (unknown option, missing required option).</summary>
    public const int UsageError = 1;

    /// <summary>An input file or value is invalid: bad JSON, unknown field, wrong type, out-of-range value, missing file, not a regular file, too large; or an output path that cannot be used.</summary>
    public const int InvalidInput = 2;

    /// <summary>The job could not run (its baseline failed, a launcher or tool is missing), or the disk under the artifacts root is full.</summary>
    public const int JobFailed = 3;

    /// <summary>A bug in ccl-agent; details are in the log file.</summary>
    public const int InternalError = 4;

    /// <summary>
    /// <c>watch --once</c> read the whole log and recognised no line of it (no supported training-log format): the wrong
    /// file, or a trainer whose output watch does not know. Distinct from <see cref="Success"/> so that CI does not read
    /// "nothing to report" as "the run was fine".
    /// </summary>
    public const int UnrecognisedInput = 5;

    /// <summary><c>replay</c>: at least one decision re-derived from the record differs from the recorded one.</summary>
    public const int ReplayDiverged = 8;

    /// <summary>
    /// <c>tune</c>: another tune of the same workload with the same memory file holds its lock (and did not release it
    /// within <c>--wait-lock</c>); nothing was run or written. A nightly job that overlaps the previous night's exits
    /// with this code instead of interleaving trials with it.
    /// </summary>
    public const int Locked = 9;

    /// <summary>
    /// <c>tune</c> stopped between steps on SIGUSR1 (Slurm's warning before preemption or the time limit): the run is
    /// unfinished and resumable with <c>tune --resume RUN_DIR</c>. 75 is sysexits' EX_TEMPFAIL, "try again later".
    /// </summary>
    public const int Preempted = 75;
    /// <summary>
    /// <c>report --fail-on-regression PCT</c>: a run's tuned iteration time is more than PCT % above the baseline run's
    /// (<c>--compare</c>): the nightly job's alarm, distinct from a job or input failure.
    /// </summary>
    public const int Regression = 6;

    /// <summary>Cancelled by Ctrl+C (SIGINT); the run directory is left consistent (run_context.json says cancelled).</summary>
    public const int Cancelled = 130;

    /// <summary>Cancelled by SIGTERM, exactly as by Ctrl+C; 128 + 15, so a scheduler sees which signal stopped it.</summary>
    public const int Terminated = 143;
}
