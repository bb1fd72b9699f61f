using CclAgent.Core.Failures;

namespace CclAgent.Tuning.Jobs;

/// <summary>What a job run produced: per-iteration times after warm-up, or a classified failure with the text that showed it.</summary>
public sealed record JobResult(JobStatus Status, IReadOnlyList<double> IterationMs, FailureClass? FailureClass = null, string? Message = null)
{
    public bool IsOk => Status == JobStatus.Ok && IterationMs.Count > 0;

    /// <summary>
    /// Named scalar metrics besides the iteration time (e.g. nccl-tests' <c>busbw_gbps</c>, extra
    /// <c>CCL_METRICS</c> fields); empty for runners that measure time only.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
