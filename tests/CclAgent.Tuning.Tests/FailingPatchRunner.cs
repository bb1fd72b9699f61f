using CclAgent.Core.Failures;
using CclAgent.Core.Steps;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Tuning.Tests;

/// <summary>
/// Test double of the runner seam: the first non-baseline trial fails with the given class and message,
/// and so does every later request whose configuration matches the patch that trial applied over NCCL
/// defaults — as a configuration that really breaks the job would. Everything else runs on the inner runner.
/// </summary>
internal sealed class FailingPatchRunner(IJobRunner inner, string failureClass, string message, bool failMatchingLater = true) : IJobRunner
{
    private readonly List<JobRequest> _failed = [];

    public string Name => inner.Name;

    public string ToolName => inner.ToolName;

    /// <summary>The patch of the first failed trial over NCCL defaults (null until a trial ran).</summary>
    public IReadOnlyDictionary<string, string>? Patch { get; private set; }

    public IReadOnlyList<JobRequest> Failed => _failed;

    public Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        bool first = Patch is null && request.Kind == StepKind.Trial && !request.Config.Equals(NcclConfig.Default);
        if (first)
        {
            Patch = request.Config.PatchFrom(NcclConfig.Default);
        }

        if (first || (failMatchingLater && Patch is not null && request.Config.Matches(Patch) && !request.Config.Equals(NcclConfig.Default)))
        {
            _failed.Add(request);
            return Task.FromResult(new JobResult(JobStatus.Failed, [], FailureClass.Parse(failureClass), message));
        }

        return inner.RunAsync(request, cancellationToken);
    }
}
