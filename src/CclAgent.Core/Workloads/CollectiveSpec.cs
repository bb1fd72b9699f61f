namespace CclAgent.Core.Workloads;

/// <summary>
/// One kind of collective call in an iteration, e.g. the tensor-parallel all-reduce of activations.
/// </summary>
public sealed record CollectiveSpec
{
    public string? Name { get; init; }

    /// <summary>all_reduce | all_gather | reduce_scatter | broadcast | reduce.</summary>
    public string? Op { get; init; }

    /// <summary>Message size in bytes as nccl-tests counts it (total buffer for all_gather/reduce_scatter).</summary>
    public long? Bytes { get; init; }

    /// <summary>Calls per iteration.</summary>
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public int Count { get; set; } = 1;

    /// <summary>Nodes the communicator spans.</summary>
    public int? Nodes { get; init; }

    /// <summary>Ranks of this communicator on each node.</summary>
    public int? RanksPerNode { get; init; }

    /// <summary>How many communicators of this shape run at the same time and share the NICs (e.g. 8 DP groups).</summary>
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public int ConcurrentGroups { get; set; } = 1;

    /// <summary>Fraction (0..1) of this collective's time that can hide behind compute.</summary>
    public double Overlap { get; init; }
}
