using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tuner;

/// <summary>
/// The algorithm, protocol and channel values ccl-agent tunes, in one order everywhere: the search space's grid, the
/// per-collective moves, the surrogate's encoding and the joint oracle all enumerate these.
/// </summary>
public static class TunerCells
{
    public static IReadOnlyList<NcclAlgorithm> Algorithms { get; } = [NcclAlgorithm.Ring, NcclAlgorithm.Tree, NcclAlgorithm.Nvls, NcclAlgorithm.NvlsTree];

    public static IReadOnlyList<NcclProtocol> Protocols { get; } = [NcclProtocol.LL, NcclProtocol.LL128, NcclProtocol.Simple];

    /// <summary>Channel counts of the grid (set as MIN = MAX in the environment, or as a plugin's nChannels).</summary>
    public static IReadOnlyList<int> Channels { get; } = [1, 2, 4, 8, 16, 24, 32];
}
