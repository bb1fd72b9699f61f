namespace CclAgent.Tuning.Jobs;

/// <summary>
/// A runner that keeps one job running across steps and retunes it in place through the tuner plugin: a step whose
/// environment (NCCL's init-time knobs) is the running job's only rewrites the plugin's table and measures a window of
/// iterations; a step that changes the environment restarts the job. Each <see cref="JobResult"/> says which it was.
/// </summary>
public interface IInJobRunner : IJobRunner
{
    /// <summary>Job launches and in-job windows so far, and whether the plugin's decision log matched every measured table.</summary>
    InJobCounts Counts { get; }

    /// <summary>
    /// Leaves the job running on the deliverable: its table in place, a restart only when its environment differs
    /// from the running job's. Returns once the job runs it.
    /// </summary>
    Task SettleAsync(JobRequest deliverable, CancellationToken cancellationToken);

    /// <summary>Returns when the job has ended on its own, or stops it when <paramref name="cancellationToken"/> is cancelled.</summary>
    Task WaitForEndAsync(CancellationToken cancellationToken);
}
