using CclAgent.Core.Failures;
using CclAgent.Simulation;
using CclAgent.Simulation.Truth;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Simulated;

/// <summary>
/// Runs the job on the simulated cluster: the same contract as a real launcher, so the loop cannot
/// tell the difference. Warm-up iterations (slower: allocator and autotuning) are produced and dropped.
/// </summary>
public sealed class SimulatedJobRunner(SimulatedCluster cluster) : IJobRunner
{
    public string Name => "simulated";

    public string ToolName => "simulator";

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

    /// <summary>The simulator's outcomes in the failure vocabulary every runner shares.</summary>
    private static FailureClass ClassOf(Outcome outcome) => outcome.Kind switch
    {
        OutcomeKind.InitError => FailureKind.NcclInitError,
        OutcomeKind.Corrupted => FailureKind.ResultCorruption,
        OutcomeKind.OutOfMemory => FailureKind.CudaOom,
        OutcomeKind.Hang => FailureKind.Timeout,
        OutcomeKind.TransientFault => FailureKind.TransientNetwork,
        _ => FailureKind.Unknown,
    };
}
