namespace CclAgent.Tuning.Jobs;

/// <summary>How a job run ended, as the rollback and avoid-rule logic sees it.</summary>
public enum JobStatus
{
    Ok,
    Failed,
    TimedOut,
    NoMetrics,
}
