using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.InJob;

/// <summary>
/// Which environment the one in-job process runs, and how often it was launched or measured in place: the bookkeeping
/// the simulated in-job runner and replay's recorded one share, so both count launches and settle the deliverable alike.
/// </summary>
internal sealed class RunningJobLedger
{
    private string? _running;
    private int _launches;
    private int _windows;

    public InJobCounts Counts => new(_launches, _windows, null);

    /// <summary>Whether a step under this request restarts the job: its NCCL environment is not the running one.</summary>
    public bool WouldRestart(JobRequest request) => _running != InJobEnvironment.Key(request);

    /// <summary>Counts a measured step; a failure killed the job, so whatever comes next starts it again.</summary>
    public void Measured(JobRequest request, bool restarted, bool ok)
    {
        if (restarted)
        {
            _launches++;
        }
        else
        {
            _windows++;
        }

        _running = ok ? InJobEnvironment.Key(request) : null;
    }

    /// <summary>Leaves the job on the deliverable: one more launch when its environment differs from the running one.</summary>
    public void Settle(JobRequest deliverable)
    {
        if (WouldRestart(deliverable))
        {
            _launches++;
            _running = InJobEnvironment.Key(deliverable);
        }
    }
}
