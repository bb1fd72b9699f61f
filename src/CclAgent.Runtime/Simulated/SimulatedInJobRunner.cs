using CclAgent.Runtime.InJob;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Simulated;

/// <summary>
/// <c>tune --in-job</c> on the simulated cluster: one simulated job, launched once and retuned in place. A step whose
/// NCCL environment is the running job's rewrites only the plugin's table (<see cref="SimulatedJobRunner"/> applies it
/// as the plugin does) and measures a window, dropping the iteration that straddled the switch; a step that changes the
/// environment, or follows a failure that killed the job, restarts it and drops the warm-up as any start does.
/// </summary>
public sealed class SimulatedInJobRunner(SimulatedJobRunner job) : IInJobRunner
{
    private readonly RunningJobLedger _ledger = new();

    public string Name => job.Name;

    public string ToolName => job.ToolName;

    public bool AppliesTunerConf => true;

    /// <summary>No decision log to check: the simulated plugin is the simulator's own reading of the table.</summary>
    public InJobCounts Counts => _ledger.Counts;

    public async Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        bool restart = _ledger.WouldRestart(request);
        JobRequest measured = restart ? request : request with { WarmupIterations = InJobEnvironment.StraddlingIterations, Iterations = request.WindowIterations ?? request.Iterations };
        JobResult result = await job.RunAsync(measured, cancellationToken);
        _ledger.Measured(request, restart, result.IsOk);
        return result with { Restarted = restart, DroppedIterations = measured.WarmupIterations };
    }

    public Task SettleAsync(JobRequest deliverable, CancellationToken cancellationToken)
    {
        _ledger.Settle(deliverable);
        return Task.CompletedTask;
    }

    /// <summary>The simulated job has no end of its own to wait for.</summary>
    public Task WaitForEndAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
