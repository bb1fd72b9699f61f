namespace CclAgent.Tuning.Jobs;

/// <summary>What a job run produced: per-iteration times after warm-up, or a classified failure with the text that showed it.</summary>
public sealed record JobResult(JobStatus Status, IReadOnlyList<double> IterationMs, string? FailureClass = null, string? Message = null)
{
    public bool IsOk => Status == JobStatus.Ok && IterationMs.Count > 0;
}
