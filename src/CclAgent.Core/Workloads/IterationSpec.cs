namespace CclAgent.Core.Workloads;

/// <summary>One training iteration: compute time and the collectives it issues.</summary>
public sealed record IterationSpec
{
    /// <summary>Pure compute time per iteration in ms (no communication, no contention).</summary>
    public double? ComputeMs { get; init; }

    public IReadOnlyList<CollectiveSpec>? Collectives { get; init; }

    /// <summary>GPU memory (GiB) the training job leaves free for NCCL's buffers; exceeding it is an OOM at init.</summary>
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public double GpuMemoryHeadroomGib { get; set; } = 4;
}
