using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Tuner;

namespace CclAgent.Tuning.Offline;

/// <summary>Microbenchmark readings for one collective of the workload.</summary>
internal sealed record CollectiveProfile
{
    public required string Name { get; init; }
    public required string Op { get; init; }
    public required long Bytes { get; init; }
    public required int Count { get; init; }
    public required double Overlap { get; init; }

    /// <summary>The communicator: nodes and ranks in all (what a tuner plugin matches a collective on, with op and size).</summary>
    public int Nodes { get; init; } = 1;
    public int Ranks { get; init; } = 1;

    public TunerKey Key => new(OpNames.Parse(Op), Bytes, Nodes, Ranks);

    /// <summary>Default-configuration time (µs) and NCCL's reported channel count.</summary>
    public required double DefaultTimeUs { get; init; }
    public required int DefaultChannels { get; init; }

    /// <summary>Subspace key "ALGO/PROTO" (with "-" for NCCL's choice) → µs; failed subspaces are absent.</summary>
    public required IReadOnlyDictionary<string, double> SubspaceTimeUs { get; init; }

    /// <summary>Subspaces not measured because the run budget was spent (unknown, unlike failed ones).</summary>
    public IReadOnlyList<string> SkippedSubspaces { get; init; } = [];

    /// <summary>Subspace → parameter → value → time ratio against that subspace's base.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>> Sweeps { get; init; }
}
