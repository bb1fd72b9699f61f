namespace CclAgent.Core.Workloads;

/// <summary>One training iteration: compute time and the collectives it issues.</summary>
public sealed record IterationSpec
{
    /// <summary>Pure compute time per iteration in ms (no communication, no contention).</summary>
    public double? ComputeMs { get; init; }

    public IReadOnlyList<CollectiveSpec>? Collectives { get; init; }

    /// <summary>GPU memory (GiB) the training job leaves free for NCCL's buffers; exceeding it is an OOM at init.</summary>
    public double GpuMemoryHeadroomGib { get; init; } = 4;
}
