using CclAgent.Core.Workloads;

namespace CclAgent.Simulation.Hardware;

/// <summary>
/// Named clusters for tools that need one without a workload file (`ccl-agent sim nccl-tests --cluster`).
/// Each mirrors the cluster of a shipped workload in workload/sim/, so results line up with those scenarios.
/// </summary>
public static class ClusterPresets
{
    public const string Default = "h100-1x8";

    private static readonly Dictionary<string, ClusterSpec> Presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["h100-1x8"] = new ClusterSpec
        {
            Gpu = "H100-SXM", Generation = "hopper", SmCount = 132, GpuMemoryGib = 80, Nodes = 1, GpusPerNode = 8,
            IntraFabric = "nvswitch", NvlinkGbps = 450, PcieGen = 5, CpuSockets = 2, CpuVendor = "intel",
        },
        ["h100-2x8-ib400"] = new ClusterSpec
        {
            Gpu = "H100-SXM", Generation = "hopper", SmCount = 132, GpuMemoryGib = 80, Nodes = 2, GpusPerNode = 8,
            IntraFabric = "nvswitch", NvlinkGbps = 450, PcieGen = 5, CpuSockets = 2, CpuVendor = "intel",
            Network = new NetworkSpec { Kind = "infiniband", NicsPerNode = 8, NicGbps = 400, Gdr = true, GpuNicPath = "PIX", RailOptimized = true },
        },
        ["a100-8x8-roce"] = new ClusterSpec
        {
            Gpu = "A100-SXM", Generation = "ampere", SmCount = 108, GpuMemoryGib = 80, Nodes = 8, GpusPerNode = 8,
            IntraFabric = "nvswitch", NvlinkGbps = 300, PcieGen = 4, CpuSockets = 2, CpuVendor = "amd",
            Network = new NetworkSpec { Kind = "roce", NicsPerNode = 4, NicGbps = 200, Gdr = true, GpuNicPath = "PXB", Ecmp = true },
        },
        ["a40-4x8-ib100"] = new ClusterSpec
        {
            Gpu = "A40", Generation = "ampere", SmCount = 84, GpuMemoryGib = 48, Nodes = 4, GpusPerNode = 8,
            IntraFabric = "pcie", PcieGen = 4, CpuSockets = 2, CpuVendor = "intel",
            Network = new NetworkSpec { Kind = "infiniband", NicsPerNode = 1, NicGbps = 100, Gdr = true, GpuNicPath = "PXB" },
        },
        ["l40s-1x8-pcie"] = new ClusterSpec
        {
            Gpu = "L40S", Generation = "ampere", SmCount = 142, GpuMemoryGib = 48, Nodes = 1, GpusPerNode = 8,
            IntraFabric = "pcie", PcieGen = 4, CpuSockets = 1, CpuVendor = "intel",
        },
    };

    public static IReadOnlyList<string> Names { get; } = Presets.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool TryGet(string name, out ClusterSpec cluster) => Presets.TryGetValue(name, out cluster!);
}
