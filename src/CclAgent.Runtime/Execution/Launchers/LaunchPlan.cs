namespace CclAgent.Runtime.Execution.Launchers;

/// <summary>
/// How to start one step: the argv, files to write first (an sbatch wrapper script), where a scheduler
/// writes the job's output instead of our pipes, and how to clean up after a kill.
/// </summary>
public sealed record LaunchPlan(IReadOnlyList<string> Argv)
{
    /// <summary>Files to write before the start (path → content); written executable.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Files { get; init; } = [];

    /// <summary>Where the scheduler writes the job's stdout (sbatch <c>--output</c>); read after the launcher exits.</summary>
    public string? OutputFile { get; init; }

    /// <summary>Where the scheduler writes the job's stderr (sbatch <c>--error</c>).</summary>
    public string? ErrorFile { get; init; }

    /// <summary>
    /// How long the launcher gets after SIGTERM to stop its ranks itself (srun cancels the step, mpirun
    /// signals its daemons) before the whole local process tree is killed.
    /// </summary>
    public TimeSpan TerminateGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Run after a kill when ranks may live outside our process tree (scancel for Slurm jobs).</summary>
    public IReadOnlyList<string>? Cleanup { get; init; }
}
