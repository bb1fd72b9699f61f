using CclAgent.Core.Steps;
using CclAgent.Runtime.InJob;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Resuming;

namespace CclAgent.Runtime.Replay;

/// <summary>
/// The one running job of a recorded <c>--in-job</c> run, as <c>replay</c> sees it: each step is answered from the
/// record (through <paramref name="recorded"/>), with what the record says of the job — whether the step restarted it
/// (<c>job_launched</c>) or was a window inside it, and whether the plugin's decision log matched — so the engine
/// weighs restarts and charges cluster time exactly as the run did, and nothing is launched.
/// </summary>
/// <param name="recorded">The steps of the record (a <see cref="ResumingJobRunner"/> over nothing).</param>
/// <param name="point">The record, to read what each answered step said of the job.</param>
/// <param name="warmupIterations">The run's warm-up, dropped after every start as the job dropped it.</param>
internal sealed class RecordedInJobRunner(IJobRunner recorded, ResumePoint point, int warmupIterations) : IInJobRunner
{
    private readonly RunningJobLedger _ledger = new();

    public string Name => recorded.Name;

    public string ToolName => recorded.ToolName;

    public bool AppliesTunerConf => true;

    public InJobCounts Counts => _ledger.Counts;

    public async Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobResult result = await recorded.RunAsync(request, cancellationToken);
        StepRecord? step = point.Recorded.Step(request.Step, request.Kind ?? StepKind.Trial);
        bool restarted = step?.JobLaunched ?? true;
        _ledger.Measured(request, restarted, result.IsOk);
        return result with
        {
            Restarted = restarted,
            DroppedIterations = restarted ? warmupIterations : InJobEnvironment.StraddlingIterations,
            DecisionsVerified = step?.DecisionsVerified,
        };
    }

    public Task SettleAsync(JobRequest deliverable, CancellationToken cancellationToken)
    {
        _ledger.Settle(deliverable);
        return Task.CompletedTask;
    }

    /// <summary>The recorded job ended long ago.</summary>
    public Task WaitForEndAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
