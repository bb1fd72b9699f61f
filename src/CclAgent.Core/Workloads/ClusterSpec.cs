namespace CclAgent.Core.Workloads;

/// <summary>The hardware a workload runs on: GPUs, the fabric inside a node and the network between nodes.</summary>
public sealed record ClusterSpec
{
    /// <summary>Marketing name, e.g. "A40", "H100-SXM".</summary>
    public string? Gpu { get; init; }

    /// <summary>volta | ampere | hopper | blackwell.</summary>
    public string? Generation { get; init; }

    public int? SmCount { get; init; }
    public double? GpuMemoryGib { get; init; }
    public int? Nodes { get; init; }
    public int? GpusPerNode { get; init; }

    /// <summary>nvswitch | nvlink | pcie.</summary>
    public string? IntraFabric { get; init; }

    /// <summary>PCIe generation of the GPU/NIC slots (3, 4, 5).</summary>
    public int? PcieGen { get; init; }

    /// <summary>Unidirectional NVLink bandwidth per GPU in GB/s (all links together); unused for pcie.</summary>
    public double? NvlinkGbps { get; init; }

    /// <summary>Whether PCIe ACS/IOMMU redirects peer traffic through the root complex (P2P beyond PXB hangs).</summary>
    public bool AcsEnabled { get; init; }

    /// <summary>Whether GPUs on different CPU sockets exist (PCIe paths cross SYS).</summary>
    public int? CpuSockets { get; init; }

    public NetworkSpec? Network { get; init; }

    /// <summary>intel | amd.</summary>
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public string CpuVendor { get; set; } = "intel";
}
