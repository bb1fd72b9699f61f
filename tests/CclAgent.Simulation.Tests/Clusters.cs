using CclAgent.Core.Workloads;
using CclAgent.Simulation.Hardware;

namespace CclAgent.Simulation.Tests;

/// <summary>Small hand-built clusters for unit tests, so they do not depend on shipped workload files.</summary>
internal static class Clusters
{
    public static ClusterSpec H100Node { get; } = new()
    {
        Gpu = "H100-SXM", Generation = "hopper", Nodes = 1, GpusPerNode = 8, IntraFabric = "nvswitch", NvlinkGbps = 450, PcieGen = 5, CpuSockets = 2,
    };

    public static ClusterSpec A100Node { get; } = new()
    {
        Gpu = "A100-SXM", Generation = "ampere", Nodes = 1, GpusPerNode = 8, IntraFabric = "nvswitch", NvlinkGbps = 300, PcieGen = 4, CpuSockets = 2,
    };

    public static ClusterSpec PcieNode(bool acs = false) => new()
    {
        Gpu = "L40S", Generation = "ampere", Nodes = 1, GpusPerNode = 8, IntraFabric = "pcie", PcieGen = 4, CpuSockets = 1, AcsEnabled = acs,
    };

    public static ClusterModel Model(ClusterSpec spec) => ClusterModel.From(spec);
}
