using CclAgent.Core.Workloads;

namespace CclAgent.Nccl.Platforms;

/// <summary>
/// The facts about a cluster that decide which NCCL settings exist, are legal or are dangerous.
/// Built from a validated <see cref="ClusterSpec"/>.
/// </summary>
public sealed record NcclPlatform
{
    public required GpuGeneration Generation { get; init; }
    public required IntraFabric Fabric { get; init; }
    public required NetworkKind Network { get; init; }
    public required int Nodes { get; init; }
    public required int GpusPerNode { get; init; }
    public required int NicsPerNode { get; init; }
    public required bool GdrSupported { get; init; }
    public required bool AcsEnabled { get; init; }
    public required bool CpuIsAmd { get; init; }

    public bool MultiNode => Nodes > 1;

    /// <summary>NCCL enables LL128 by default only over NVLink-class paths on Ampere or newer (tuning.cc).</summary>
    public bool Ll128Supported => Fabric != IntraFabric.Pcie && Generation >= GpuGeneration.Ampere;

    /// <summary>NVLink SHARP needs NVSwitch on Hopper or newer.</summary>
    public bool NvlsSupported => Fabric == IntraFabric.NvSwitch && Generation >= GpuGeneration.Hopper;

    /// <summary>Socket knobs only matter where NCCL uses its socket transport.</summary>
    public bool UsesSockets => Network == NetworkKind.Tcp;

    /// <summary>QP knobs only matter on verbs transports.</summary>
    public bool UsesIbVerbs => Network is NetworkKind.InfiniBand or NetworkKind.Roce;

    public static NcclPlatform FromCluster(ClusterSpec cluster)
    {
        int nodes = cluster.Nodes ?? 1;
        return new NcclPlatform
        {
            Generation = ParseGeneration(cluster.Generation),
            Fabric = ParseFabric(cluster.IntraFabric),
            Network = nodes > 1 ? ParseNetwork(cluster.Network?.Kind) : NetworkKind.None,
            Nodes = nodes,
            GpusPerNode = cluster.GpusPerNode ?? 1,
            NicsPerNode = cluster.Network?.NicsPerNode ?? 1,
            GdrSupported = cluster.Network?.Gdr ?? false,
            AcsEnabled = cluster.AcsEnabled,
            CpuIsAmd = string.Equals(cluster.CpuVendor, "amd", StringComparison.OrdinalIgnoreCase),
        };
    }

    public static GpuGeneration ParseGeneration(string? value) => value?.ToLowerInvariant() switch
    {
        "volta" => GpuGeneration.Volta,
        "hopper" => GpuGeneration.Hopper,
        "blackwell" => GpuGeneration.Blackwell,
        _ => GpuGeneration.Ampere,
    };

    public static IntraFabric ParseFabric(string? value) => value?.ToLowerInvariant() switch
    {
        "nvswitch" => IntraFabric.NvSwitch,
        "nvlink" => IntraFabric.NvLink,
        _ => IntraFabric.Pcie,
    };

    public static NetworkKind ParseNetwork(string? value) => value?.ToLowerInvariant() switch
    {
        "infiniband" or "ib" => NetworkKind.InfiniBand,
        "roce" => NetworkKind.Roce,
        "efa" => NetworkKind.Efa,
        "tcp" or "socket" => NetworkKind.Tcp,
        _ => NetworkKind.None,
    };
}
