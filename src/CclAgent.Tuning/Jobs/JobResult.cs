using CclAgent.Core.Failures;

namespace CclAgent.Tuning.Jobs;

/// <summary>What a job run produced: per-iteration times after warm-up, or a classified failure with the text that showed it.</summary>
public sealed record JobResult(JobStatus Status, IReadOnlyList<double> IterationMs, FailureClass? FailureClass = null, string? Message = null)
{
    public bool IsOk => Status == JobStatus.Ok && IterationMs.Count > 0;

    /// <summary>
    /// Named scalar metrics besides the iteration time (e.g. nccl-tests' <c>busbw_gbps</c>, extra
    /// <c>CCL_METRICS</c> fields); empty for runners that measure time only.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// Whether the job was (re)started for this run: always for a runner that starts one process per step; false for a
    /// window measured inside an already running job (<see cref="IInJobRunner"/>), which pays no launch and no init.
    /// </summary>
    public bool Restarted { get; init; } = true;

    /// <summary>Iterations that ran but were not measured: the warm-up after a start, or those that straddled a table switch.</summary>
    public int DroppedIterations { get; init; }

    /// <summary>In-job windows: whether the plugin's decision log showed the job applying the table measured (null: not checked).</summary>
    public bool? DecisionsVerified { get; init; }

    /// <summary>In-job: the job exited cleanly on its own (its iterations were done) before the window was measured; no fault of the configuration.</summary>
    public bool EndedOnItsOwn { get; init; }

    /// <summary>A result read back from the run directory by <c>tune --resume</c>: the cluster seconds the real run was charged then.</summary>
    public double? RecordedClusterSeconds { get; init; }
}
