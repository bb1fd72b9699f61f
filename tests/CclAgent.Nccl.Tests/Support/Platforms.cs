using CclAgent.Nccl.Platforms;

namespace CclAgent.Nccl.Tests.Support;

/// <summary>Representative clusters: the AutoCCL A40 testbed, an H100 DGX pair, and variations by network.</summary>
internal static class Platforms
{
    /// <summary>4 nodes × 8 A40 on PCIe, one 100G IB NIC per node.</summary>
    public static NcclPlatform A40PcieIb { get; } = new()
    {
        Generation = GpuGeneration.Ampere,
        Fabric = IntraFabric.Pcie,
        Network = NetworkKind.InfiniBand,
        Nodes = 4,
        GpusPerNode = 8,
        NicsPerNode = 1,
        GdrSupported = true,
        AcsEnabled = false,
        CpuIsAmd = false,
    };

    /// <summary>2 nodes × 8 H100 on NVSwitch, eight 400G IB NICs per node.</summary>
    public static NcclPlatform H100NvSwitchIb { get; } = A40PcieIb with
    {
        Generation = GpuGeneration.Hopper,
        Fabric = IntraFabric.NvSwitch,
        Nodes = 2,
        NicsPerNode = 8,
    };

    public static NcclPlatform H100SingleNode { get; } = H100NvSwitchIb with { Nodes = 1, Network = NetworkKind.None };

    public static NcclPlatform With(NetworkKind network, int nics = 1, int nodes = 2) =>
        H100NvSwitchIb with { Network = network, NicsPerNode = nics, Nodes = nodes, GdrSupported = false };
}
