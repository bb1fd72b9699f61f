using CclAgent.Tuning.Jobs;

namespace CclAgent.Tuning.Tests;

/// <summary>Test double of the runner seam: cancels the run's token when a given step starts, as Ctrl+C would.</summary>
internal sealed class CancellingRunner(IJobRunner inner, CancellationTokenSource cts, int cancelAtStep) : IJobRunner
{
    public string Name => inner.Name;

    public string ToolName => inner.ToolName;

    public Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        if (request.Step == cancelAtStep)
        {
            cts.Cancel();
        }

        return inner.RunAsync(request, cancellationToken);
    }
}
