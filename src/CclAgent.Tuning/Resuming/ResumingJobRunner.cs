using CclAgent.Core.Steps;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Resuming;

/// <summary>
/// The job runner of a resumed run: a step the interrupted run recorded is answered from its record (its samples,
/// or its failure), so the engine rebuilds the same search state without running the job again; the first step it
/// did not record goes to the real runner. A recorded step whose configuration differs from what the engine now
/// applies means this version would have taken another path: the resume stops rather than mix two runs.
/// </summary>
/// <param name="inner">The runner of the mode, which measures every step the record does not hold.</param>
/// <param name="point">The record, and the seam where replay ends.</param>
/// <param name="fastForward">
/// Dry-run only: the simulated cluster's noise is one stream, so it is run through the recorded steps too (and must
/// reproduce them) to continue where the interrupted run's stream stopped. A real cluster has no such state.
/// </param>
public sealed class ResumingJobRunner(IJobRunner inner, ResumePoint point, bool fastForward) : IJobRunner
{
    public string Name => inner.Name;

    public string ToolName => inner.ToolName;

    public bool AppliesTunerConf => inner.AppliesTunerConf;

    public async Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StepKind kind = request.Kind ?? StepKind.Trial;
        if (request.Kind is null || point.Recorded.Step(request.Step, kind) is not { } recorded)
        {
            if (point.ReplayOnly)
            {
                throw new ResumeException($"step {request.Step} ({Core.Json.WireName.Of(kind)}) is not in the record: the recorded run ended before it, this version goes on", request.Step);
            }

            point.Reach(request.Step);
            return await inner.RunAsync(request, cancellationToken);
        }

        if (!SameConfig(recorded.Config, request.Config.ToAssignments()))
        {
            throw new ResumeException(
                $"step {request.Step} ({Core.Json.WireName.Of(kind)}): the interrupted run applied {Describe(recorded.Config)}, this version applies {Describe(request.Config.ToAssignments())}; it cannot be resumed, start a new run", request.Step);
        }

        JobResult replayed = FromRecord(recorded);
        if (fastForward)
        {
            JobResult simulated = await inner.RunAsync(request, cancellationToken);
            if (!simulated.IterationMs.SequenceEqual(replayed.IterationMs) || simulated.IsOk != replayed.IsOk)
            {
                throw new ResumeException($"step {request.Step}: the simulator no longer reproduces the recorded measurements (another seed, noise or version); start a new run", request.Step);
            }
        }

        point.Replayed();
        return replayed;
    }

    private static JobResult FromRecord(StepRecord step) =>
        step.Metrics.IterationMsSamples is { Count: > 0 } samples
            ? new JobResult(JobStatus.Ok, samples) { RecordedClusterSeconds = step.ClusterSeconds }
            : new JobResult(JobStatus.Failed, [], step.FailureClass, step.FailureMessage) { RecordedClusterSeconds = step.ClusterSeconds };

    private static bool SameConfig(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out string? v) && v == kv.Value);

    private static string Describe(IReadOnlyDictionary<string, string> config) =>
        config.Count == 0 ? "NCCL's defaults" : string.Join(" ", config.Select(kv => $"{kv.Key}={kv.Value}"));
}
