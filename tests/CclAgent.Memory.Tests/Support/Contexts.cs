using CclAgent.Core.Context;

namespace CclAgent.Memory.Tests.Support;

/// <summary>Context features for tests, with known similarities to each other.</summary>
internal static class Contexts
{
    /// <summary>4 nodes of 8 A40s over PCIe, 100 Gb/s InfiniBand, all_reduce-heavy llama.</summary>
    public static ContextFeatures A40Pcie { get; } = new()
    {
        GpuGeneration = "ampere",
        Gpu = "A40",
        IntraFabric = "pcie",
        NetworkKind = "infiniband",
        Nodes = 4,
        GpusPerNode = 8,
        NicGbps = 100,
        ModelName = "llama3-8b",
        Framework = "pytorch",
        DominantOp = "all_reduce",
        DominantSizeLog2 = 26,
        Mix =
        [
            new CollectiveMixBin { Op = "all_reduce", Nodes = 1, RanksPerNode = 8, SizeLog2 = 25, Share = 0.67 },
            new CollectiveMixBin { Op = "all_reduce", Nodes = 4, RanksPerNode = 1, SizeLog2 = 24.64, Share = 0.33, Overlap = 0.8 },
        ],
    };

    /// <summary>Same as <see cref="A40Pcie"/> but on 8 nodes: similarity 0.95.</summary>
    public static ContextFeatures A40PcieEightNodes { get; } = A40Pcie with { Nodes = 8 };

    /// <summary>Same as <see cref="A40Pcie"/> but with NVLink inside the node: similarity 0.8.</summary>
    public static ContextFeatures A40NvLink { get; } = A40Pcie with { IntraFabric = "nvlink" };

    /// <summary>Hopper over NVLink and 400 Gb/s RoCE: similarity about 0.42 to <see cref="A40Pcie"/>.</summary>
    public static ContextFeatures H100NvLink { get; } = A40Pcie with
    {
        GpuGeneration = "hopper",
        Gpu = "H100",
        IntraFabric = "nvlink",
        NetworkKind = "roce",
        NicGbps = 400,
    };
}
