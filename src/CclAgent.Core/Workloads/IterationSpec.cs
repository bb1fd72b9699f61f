namespace CclAgent.Core.Workloads;

/// <summary>One training iteration: compute time and the collectives it issues.</summary>
public sealed record IterationSpec
{
    /// <summary>Pure compute time per iteration in ms (no communication, no contention).</summary>
    public double? ComputeMs { get; init; }

    public IReadOnlyList<CollectiveSpec>? Collectives { get; init; }
}
