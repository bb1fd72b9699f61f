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
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public bool Gdr { get; set; } = true;

    /// <summary>Whether the fabric load-balances flows by ECMP hashing (typical for RoCE), which makes more QPs pay off.</summary>
    public bool Ecmp { get; init; }

    /// <summary>PCIe distance between a GPU and its nearest NIC: PIX | PXB | PHB | SYS. GPUDirect RDMA is used by default up to PXB.</summary>
    // set, not init: the JSON source generator passes an init-only property missing from the file as default(T), losing this default (dotnet/runtime#84484).
    public string GpuNicPath { get; set; } = "PXB";

    /// <summary>Whether each GPU has its own NIC rail (rail-optimized); cross-NIC rings then pay a spine hop.</summary>
    public bool RailOptimized { get; init; }
}
