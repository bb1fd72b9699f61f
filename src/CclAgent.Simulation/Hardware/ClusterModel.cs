using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;

namespace CclAgent.Simulation.Hardware;

/// <summary>The physical cluster behind a workload: link rates, topology distances and NCCL's view of them.</summary>
public sealed record ClusterModel
{
    public required NcclPlatform Platform { get; init; }
    public required int SmCount { get; init; }
    public required double GpuMemoryGib { get; init; }

    /// <summary>Nominal per-GPU, per-direction bandwidth inside a node (GB/s).</summary>
    public required double IntraBandwidth { get; init; }

    /// <summary>Nominal bandwidth of one NIC (GB/s).</summary>
    public required double NicBandwidth { get; init; }

    public required int PcieGen { get; init; }
    public required int CpuSockets { get; init; }
    public required PathLevel GpuNicPath { get; init; }
    public required bool Ecmp { get; init; }
    public required bool RailOptimized { get; init; }

    /// <summary>The farthest PCIe distance a ring inside a node must cross: PHB on one socket, SYS on two.</summary>
    public PathLevel WorstIntraPath => CpuSockets > 1 ? PathLevel.SYS : PathLevel.PHB;

    public static ClusterModel From(ClusterSpec cluster)
    {
        NcclPlatform platform = NcclPlatform.FromCluster(cluster);
        int pcieGen = cluster.PcieGen ?? (platform.Generation >= GpuGeneration.Hopper ? 5 : 4);
        double intra = platform.Fabric == IntraFabric.Pcie
            ? HardwareConstants.PciePerDirection(pcieGen)
            : cluster.NvlinkGbps ?? HardwareConstants.NvlinkPerGpu(platform.Generation);
        return new ClusterModel
        {
            Platform = platform,
            SmCount = cluster.SmCount ?? DefaultSmCount(platform.Generation),
            GpuMemoryGib = cluster.GpuMemoryGib ?? 80,
            IntraBandwidth = intra,
            NicBandwidth = (cluster.Network?.NicGbps ?? 100) / 8.0,
            PcieGen = pcieGen,
            CpuSockets = cluster.CpuSockets ?? 2,
            GpuNicPath = Enum.TryParse(cluster.Network?.GpuNicPath, true, out PathLevel path) ? path : PathLevel.PXB,
            Ecmp = cluster.Network?.Ecmp ?? false,
            RailOptimized = cluster.Network?.RailOptimized ?? false,
        };
    }

    /// <summary>
    /// comm->nChannels as NCCL's topology search would build it: enough rings to fill the links
    /// (NVSwitch many, PCIe two), and two per NIC across nodes.
    /// </summary>
    public int DefaultChannels(int nodes, int ranksPerNode)
    {
        int intra = Platform.Fabric switch
        {
            IntraFabric.NvSwitch => Platform.Generation >= GpuGeneration.Hopper ? 24 : 16,
            IntraFabric.NvLink => 4,
            _ => PcieGen >= 5 ? 4 : 2,
        };
        if (ranksPerNode <= 1)
        {
            intra = 2;
        }

        return nodes > 1 ? Math.Max(2, Math.Min(Math.Max(intra, 2), 2 * Platform.NicsPerNode)) : intra;
    }

    /// <summary>NCCL's per-channel bandwidth estimate (bwIntra/bwInter): the link rate split over the channels, floored to the search ladder.</summary>
    public double NcclPerChannelBandwidth(int nodes, int ranksPerNode, int channels)
    {
        double intra = ranksPerNode > 1 ? IntraBandwidth / channels : double.MaxValue;
        double inter = nodes > 1 ? Platform.NicsPerNode * NicBandwidth / channels : double.MaxValue;
        return Ladder(Math.Min(intra, inter));
    }

    private static double Ladder(double bandwidth)
    {
        double[] steps = [60, 50, 40, 30, 24, 20, 18, 15, 12, 11, 10, 9, 7, 6, 5, 4, 3, 2.4, 1.2, 0.24, 0.12];
        return steps.FirstOrDefault(s => s <= bandwidth, 0.12);
    }

    private static int DefaultSmCount(GpuGeneration generation) => generation switch
    {
        GpuGeneration.Volta => 80,
        GpuGeneration.Ampere => 108,
        GpuGeneration.Hopper => 132,
        _ => 148,
    };
}
