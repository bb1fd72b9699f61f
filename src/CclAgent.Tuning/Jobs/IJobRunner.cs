namespace CclAgent.Tuning.Jobs;

/// <summary>Runs the workload once under a configuration (a real launcher or the simulated cluster).</summary>
public interface IJobRunner
{
    /// <summary>"simulated", "local", "torchrun", "srun", "mpirun"…</summary>
    string Name { get; }

    Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken);
}
