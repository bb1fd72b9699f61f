namespace CclAgent.Core.Context;

/// <summary>
/// One bin of a workload's collective mix: an op on one communicator shape at one message size, with its
/// share of the iteration's communication bytes (bytes × calls) and how much of it hides behind compute.
/// </summary>
public sealed record CollectiveMixBin
{
    /// <summary>all_reduce, all_gather, …</summary>
    public required string Op { get; init; }

    /// <summary>Nodes the communicator spans.</summary>
    public required int Nodes { get; init; }

    /// <summary>Ranks of the communicator on each node.</summary>
    public required int RanksPerNode { get; init; }

    /// <summary>log2 of the message size in bytes, to two decimals (sizes ×1.5 apart are 0.58 apart).</summary>
    public required double SizeLog2 { get; init; }

    /// <summary>This bin's share (0..1) of bytes × count over all of the iteration's collectives.</summary>
    public required double Share { get; init; }

    /// <summary>Fraction (0..1) of this bin's time that hides behind compute, share-weighted over its collectives.</summary>
    public double Overlap { get; init; }
}
