namespace CclAgent.Core.Workloads;

/// <summary>
/// What tuning costs on this cluster (<c>$.tuning_cost</c>); every field is optional and defaults from the scale
/// (<see cref="TuningCostModel"/>, docs/benchmarks.md "What tuning costs"). Used to charge cluster time to the
/// simulated runs and to decide when more microbenchmark runs are not worth their cost.
/// </summary>
public sealed record TuningCostSpec
{
    /// <summary>Seconds from launching the job to its first training iteration: launch, framework set-up, NCCL init.</summary>
    public double? JobStartSeconds { get; init; }

    /// <summary>Seconds one nccl-tests run spends outside its timed loop: launch, CUDA context, NCCL init.</summary>
    public double? MicrobenchmarkStartSeconds { get; init; }

    /// <summary>Training iterations the job will still run after tuning: what one millisecond saved per iteration is worth.</summary>
    public double? RemainingIterations { get; init; }
}
