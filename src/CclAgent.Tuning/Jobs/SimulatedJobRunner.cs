using CclAgent.Simulation;
using CclAgent.Simulation.Truth;

namespace CclAgent.Tuning.Jobs;

/// <summary>
/// Runs the job on the simulated cluster: the same contract as a real launcher, so the loop cannot
/// tell the difference. Warm-up iterations (slower: allocator and autotuning) are produced and dropped.
/// </summary>
public sealed class SimulatedJobRunner(SimulatedCluster cluster) : IJobRunner
{
    public string Name => "simulated";

    public Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TrialSamples samples = cluster.Measure(request.Config, request.Iterations + request.WarmupIterations);
        if (!samples.Outcome.IsOk)
        {
            return Task.FromResult(new JobResult(StatusOf(samples.Outcome.Kind), [], ClassOf(samples.Outcome), samples.Outcome.Message));
        }

        return Task.FromResult(new JobResult(JobStatus.Ok, samples.IterationMs.Skip(request.WarmupIterations).ToArray()));
    }

    private static JobStatus StatusOf(OutcomeKind kind) => kind == OutcomeKind.Hang ? JobStatus.TimedOut : JobStatus.Failed;

    /// <summary>Failure classes shared with the real runners (docs/configuration.md).</summary>
    private static string ClassOf(Outcome outcome) => outcome.Kind switch
    {
        OutcomeKind.InitError => "nccl_init_error",
        OutcomeKind.Corrupted => "result_corruption",
        OutcomeKind.OutOfMemory => "cuda_oom",
        OutcomeKind.Hang => "timeout",
        OutcomeKind.TransientFault => "transient_network",
        _ => "unknown",
    };
}
