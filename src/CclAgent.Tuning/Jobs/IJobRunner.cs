namespace CclAgent.Tuning.Jobs;

/// <summary>Runs the workload once under a configuration (a real launcher or the simulated cluster).</summary>
public interface IJobRunner
{
    /// <summary>"simulated", "local", "torchrun", "srun", "mpirun"…</summary>
    string Name { get; }

    /// <summary>The tool name its runs carry in the trace's tool.call events ("simulator" for the simulated cluster, "runner" for processes).</summary>
    string ToolName { get; }

    /// <summary>
    /// Whether a tuner plugin reads the conf file named by NCCL_TUNER_CONFIG_FILE in this job, so per-collective
    /// choices take effect; without one they would silently do nothing, and the search stays with environment variables.
    /// </summary>
    bool AppliesTunerConf => false;

    Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken);
}
