namespace CclAgent.Runtime.TunerPlugin;

/// <summary>
/// The communicator a tuner context is initialised for, as NCCL describes it to the plugin's init: its size, its
/// node count and (v5) an id and NCCL's model constants. NCCL creates one tuner context per communicator.
/// </summary>
public sealed record TunerPluginCommunicator(int Nodes, int Ranks)
{
    /// <summary>v5's commId; by default a stable hash of the shape, so the same job gets the same id every run.</summary>
    public ulong CommId { get; init; } = StableId(Nodes, Ranks);

    /// <summary>v5's ncclTunerConstants_v5_t as <see cref="NcclTunerConstants.Count"/> doubles; null: all zero.</summary>
    public IReadOnlyList<double>? Constants { get; init; }

    /// <summary>FNV-1a over "n{nodes}:r{ranks}": the same 64 bits on every machine and runtime (string.GetHashCode is not).</summary>
    public static ulong StableId(int nodes, int ranks)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in $"n{nodes}:r{ranks}")
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
