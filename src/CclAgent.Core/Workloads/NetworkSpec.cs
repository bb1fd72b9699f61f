namespace CclAgent.Core.Workloads;

/// <summary>The inter-node network.</summary>
public sealed record NetworkSpec
{
    /// <summary>infiniband | roce | tcp | efa.</summary>
    public string? Kind { get; init; }

    public int? NicsPerNode { get; init; }

    /// <summary>Line rate of one NIC in Gb/s (100, 200, 400).</summary>
    public double? NicGbps { get; init; }

    /// <summary>Whether GPUDirect RDMA is available.</summary>
    public bool Gdr { get; init; } = true;

    /// <summary>Whether the fabric load-balances flows by ECMP hashing (typical for RoCE), which makes more QPs pay off.</summary>
    public bool Ecmp { get; init; }

    /// <summary>PCIe distance between a GPU and its nearest NIC: PIX | PXB | PHB | SYS. GPUDirect RDMA is used by default up to PXB.</summary>
    public string GpuNicPath { get; init; } = "PXB";

    /// <summary>Whether each GPU has its own NIC rail (rail-optimized); cross-NIC rings then pay a spine hop.</summary>
    public bool RailOptimized { get; init; }
}
