namespace CclAgent.Tuning.Jobs;

/// <summary>Runs the workload once under a configuration (a real launcher or the simulated cluster).</summary>
public interface IJobRunner
{
    /// <summary>"simulated", "local", "torchrun", "srun", "mpirun"…</summary>
    string Name { get; }

    /// <summary>The tool name its runs carry in the trace's tool.call events ("simulator" for the simulated cluster, "runner" for processes).</summary>
    string ToolName { get; }

    Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken);
}
