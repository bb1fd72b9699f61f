using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Simulation.CostModel;
using CclAgent.Simulation.Hardware;

namespace CclAgent.Simulation.Truth;

/// <summary>
/// How long a collective really takes with a given NCCL decision: NCCL's structure plus the effects
/// its cost model ignores — links that saturate instead of scaling with channels, per-channel copy
/// rates that depend on threads, pipeline chunking (unimodal in chunk size), protocol efficiency per
/// platform, PCIe P2P vs shared memory, GPUDirect RDMA paths, ECMP/QPs, socket threads and cross-NIC.
/// Equations and constants: docs/simulator.md.
/// </summary>
public sealed class GroundTruthModel(ClusterModel cluster)
{
    private readonly NcclSelector _selector = new(cluster);

    public ClusterModel Cluster => cluster;

    /// <summary>True duration of one call in µs (no noise).</summary>
    public double CallTimeUs(CollectiveCall call, NcclDecision decision, NcclConfig config)
    {
        double latency = LatencyUs(call, decision, config);
        double bandwidthTime = BandwidthTimeUs(call, decision, config);
        return latency + bandwidthTime + PipelineOverheadUs(call, decision, config);
    }

    public double LatencyUs(CollectiveCall call, NcclDecision decision, NcclConfig config)
    {
        double modelLatency = _selector.ModelLatencyUs(call, decision.Algorithm, decision.Protocol, decision.Channels);
        double extra = 0;
        int hopsIntra = call.RanksPerNode > 1 ? Math.Max(1, call.RingSteps / Math.Max(1, call.Nodes)) : 0;
        if (call.RanksPerNode > 1 && cluster.Platform.Fabric == IntraFabric.Pcie && UsesShm(config))
        {
            extra += hopsIntra * HardwareConstants.ShmHopLatencyUs;
        }

        if (call.Nodes > 1)
        {
            int netHops = decision.Algorithm == NcclAlgorithm.Ring
                ? (call.Op == CollectiveOp.AllReduce ? 2 : 1) * (call.Nodes - 1)
                : 2 * (int)Math.Ceiling(Math.Log2(call.Nodes));
            bool staged = !GdrActive(config) && cluster.Platform.UsesIbVerbs; // sockets always stage; their cost is in the transport latency
            extra += netHops * (HardwareConstants.NetExtraLatencyUs(cluster.Platform.Network) + (staged ? HardwareConstants.GdrOffLatencyUs : 0));
        }

        // More threads per block cost more per-step synchronisation (__syncthreads over more warps).
        double threadSync = 0.002 * decision.Threads * (decision.Protocol == NcclProtocol.Simple ? 1.0 : 0.5);
        return HardwareConstants.LaunchOverheadUs + (modelLatency * HardwareConstants.LatencyTruthFactor) + extra + threadSync;
    }

    /// <summary>Bytes over the bottleneck divided by the bandwidth actually reached.</summary>
    public double BandwidthTimeUs(CollectiveCall call, NcclDecision decision, NcclConfig config)
    {
        double protocolEfficiency = ProtocolEfficiency(decision.Protocol);
        double channelRate = ChannelRate(decision.Protocol, decision.Threads) * decision.Channels;
        double intra = IntraBandwidth(call, config) / call.ConcurrentGroups;
        double net = NetworkBandwidthPerNode(call, config, decision.Channels) / call.ConcurrentGroups;
        double bytes = call.Bytes;
        double gbps;
        double volume;

        switch (decision.Algorithm)
        {
            case NcclAlgorithm.Nvls:
                gbps = NvlsBandwidth(decision) / call.ConcurrentGroups;
                volume = call.Op == CollectiveOp.AllReduce ? bytes : bytes * (call.Ranks - 1) / call.Ranks;
                double switchPart = volume / (1000 * gbps);

                // Across nodes NVLS still has to move every node's share over the network.
                double networkPart = call.Nodes > 1
                    ? bytes * (call.Nodes - 1) / call.Nodes * (call.Op == CollectiveOp.AllReduce ? 2 : 1) / (1000 * net * protocolEfficiency)
                    : 0;
                return Math.Max(switchPart, networkPart);
            case NcclAlgorithm.NvlsTree:
                double nvlsPart = bytes / (1000 * NvlsBandwidth(decision) / call.ConcurrentGroups);
                double netPart = TreeNetworkVolume(call.Nodes) * bytes / (1000 * net * protocolEfficiency * HardwareConstants.TreeEfficiency);
                return Math.Max(nvlsPart, netPart);
            case NcclAlgorithm.Tree:
                double chain = call.RanksPerNode > 1
                    ? 2 * bytes / (1000 * Math.Min(channelRate, intra * protocolEfficiency) * HardwareConstants.TreeEfficiency)
                    : 0;
                double up = call.Nodes > 1
                    ? TreeNetworkVolume(call.Nodes) * bytes / (1000 * Math.Min(channelRate, net * protocolEfficiency) * HardwareConstants.TreeEfficiency)
                    : 0;
                return Math.Max(chain, up);
            default:
                volume = bytes * call.RingSteps / call.Ranks;
                double link = Math.Min(intra, net);
                gbps = Math.Min(channelRate, link * protocolEfficiency);
                return volume / (1000 * gbps);
        }
    }

    /// <summary>
    /// What the switch reduces per GPU (GB/s): its multicast efficiency, unless too few channels copy data into it. At
    /// NCCL's own NVLS channel count (16 on Hopper, 24 on Blackwell) the switch is the limit; a tuner plugin that cuts
    /// the channels (its nChannels overrides NVLS's too) makes the copies the limit.
    /// </summary>
    private double NvlsBandwidth(NcclDecision decision) =>
        Math.Min(cluster.IntraBandwidth * HardwareConstants.NvlsAllReduceEfficiency, decision.Channels * ChannelRate(NcclProtocol.Simple, decision.Threads));

    /// <summary>
    /// Pipeline cost of chunking: each chunk step pays a synchronisation, and the first chunk fills
    /// the pipeline. Small chunks pay many steps, big chunks a long fill: unimodal in chunk size.
    /// </summary>
    public double PipelineOverheadUs(CollectiveCall call, NcclDecision decision, NcclConfig config)
    {
        if (decision.Algorithm is NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree)
        {
            return 0;
        }

        double perChannelBytes = call.Bytes * Math.Max(1, call.RingSteps) / (double)call.Ranks / decision.Channels;
        double sliceBytes = perChannelBytes / Math.Max(1, call.RingSteps);
        double chunk = Math.Min(decision.ChunkBytes, Math.Max(sliceBytes, 1));
        // NCCL's latency term already pays one hop per ring step; extra loops start once a slice needs more than one chunk.
        double steps = Math.Max(1, call.RingSteps) * (Math.Ceiling(sliceBytes / decision.ChunkBytes) - 1);

        // A chunk step costs a flag handshake (and a proxy round trip when it crosses the network).
        double stepCost = 1.0 + (0.5 * decision.Threads / 512.0) + (call.Nodes > 1 ? 3.0 : 0);

        // The first chunk fills the pipeline at the rate one channel actually gets from the link.
        double perChannelRate = Math.Min(ChannelRate(decision.Protocol, decision.Threads), AchievedBandwidth(call, decision, config) / decision.Channels);
        double fill = chunk / (1000 * perChannelRate);
        return (steps * stepCost) + fill;
    }

    /// <summary>Bandwidth a ring reaches with this decision: channels' copy rate or the bottleneck link, whichever is lower.</summary>
    private double AchievedBandwidth(CollectiveCall call, NcclDecision decision, NcclConfig config)
    {
        double link = Math.Min(IntraBandwidth(call, config), NetworkBandwidthPerNode(call, config, decision.Channels)) / call.ConcurrentGroups;
        return Math.Min(ChannelRate(decision.Protocol, decision.Threads) * decision.Channels, link * ProtocolEfficiency(decision.Protocol));
    }

    /// <summary>Per-channel copy rate (GB/s): rises with threads and saturates (memory-level parallelism per SM).</summary>
    public double ChannelRate(NcclProtocol protocol, int threads)
    {
        double full = HardwareConstants.ChannelCopyRate(cluster.Platform.Generation);
        double fraction = Math.Pow(Math.Clamp(threads, 32, 640) / 512.0, 0.55);
        return protocol switch
        {
            NcclProtocol.LL => full * 0.5 * Math.Min(1.0, fraction * 1.15),
            NcclProtocol.LL128 => Math.Min(full * 1.1, NcclTuningTables.PerChannelMaxRingLl128(cluster.Platform.Generation) * 1.05) * Math.Min(1.0, fraction),
            _ => full * Math.Min(1.05, fraction),
        };
    }

    public double ProtocolEfficiency(NcclProtocol protocol) => protocol switch
    {
        NcclProtocol.LL => 0.5,
        NcclProtocol.LL128 => cluster.Platform.Ll128Supported ? 0.9375 : 0.80,
        _ => 1.0,
    };

    /// <summary>Per-GPU, per-direction bandwidth a ring reaches inside a node (GB/s).</summary>
    public double IntraBandwidth(CollectiveCall call, NcclConfig config)
    {
        if (call.RanksPerNode <= 1)
        {
            return double.PositiveInfinity;
        }

        if (cluster.Platform.Fabric == IntraFabric.NvSwitch)
        {
            return cluster.IntraBandwidth * HardwareConstants.NvSwitchRingEfficiency(cluster.Platform.Generation) * (P2PDisabled(config) ? 0.25 : 1);
        }

        if (cluster.Platform.Fabric == IntraFabric.NvLink)
        {
            return cluster.IntraBandwidth * HardwareConstants.NvLinkBridgeEfficiency * (P2PDisabled(config) ? 0.25 : 1);
        }

        double pcie = cluster.IntraBandwidth;
        if (UsesShm(config))
        {
            return pcie * HardwareConstants.PcieShm;
        }

        bool amd = cluster.Platform.CpuIsAmd;
        return pcie * (cluster.WorstIntraPath == PathLevel.SYS
            ? HardwareConstants.PcieCrossSocketP2P(amd)
            : HardwareConstants.PcieHostBridgeP2P(amd));
    }

    /// <summary>Bandwidth of one node's NICs available to this communicator (GB/s).</summary>
    public double NetworkBandwidthPerNode(CollectiveCall call, NcclConfig config, int channels)
    {
        if (call.Nodes <= 1)
        {
            return double.PositiveInfinity;
        }

        NcclPlatform platform = cluster.Platform;
        double perNic = cluster.NicBandwidth * HardwareConstants.NicEfficiency(platform.Network);
        if (platform.Network == NetworkKind.Tcp)
        {
            int streams = channels * (config.SocketNThreads ?? 1) * (config.NSocksPerThread ?? 1);
            perNic = Math.Min(perNic, streams * HardwareConstants.TcpStreamGbps / platform.NicsPerNode);
        }

        if (platform.UsesIbVerbs && cluster.Ecmp)
        {
            perNic *= HardwareConstants.EcmpQpFactor(config.IbQpsPerConnection ?? 1);
        }
        else if (platform.UsesIbVerbs && (config.IbQpsPerConnection ?? 1) > 4)
        {
            perNic *= 0.98; // more QPs than paths only add completion overhead
        }

        double gdr = GdrActive(config) ? HardwareConstants.GdrPathFactor(cluster.GpuNicPath) : HardwareConstants.GdrOffBandwidth;
        return platform.NicsPerNode * perNic * gdr * CrossNicFactor(config);
    }

    public bool GdrActive(NcclConfig config)
    {
        if (!cluster.Platform.GdrSupported || cluster.Platform.Network is NetworkKind.Tcp or NetworkKind.None)
        {
            return false;
        }

        PathLevel level = config.NetGdrLevel ?? PathLevel.PXB;
        return cluster.GpuNicPath <= level;
    }

    private double CrossNicFactor(NcclConfig config)
    {
        if (cluster.Platform.NicsPerNode < 2)
        {
            return 1;
        }

        int crossNic = config.CrossNic ?? 2;
        return cluster.RailOptimized
            ? crossNic switch { 0 => 1.0, 1 => 0.88, _ => 0.96 }
            : crossNic switch { 0 => 0.95, _ => 1.0 };
    }

    /// <summary>Bytes each node sends per byte of message in a double binary tree: 2(N−1)/N.</summary>
    private static double TreeNetworkVolume(int nodes) => 2.0 * (nodes - 1) / nodes;

    private static bool P2PDisabled(NcclConfig config) => config.P2PLevel == PathLevel.LOC;

    /// <summary>P2P is used only up to NCCL_P2P_LEVEL (default PXB); a ring crossing PHB/SYS falls back to shared memory.</summary>
    private bool UsesShm(NcclConfig config)
    {
        PathLevel level = config.P2PLevel ?? (cluster.Platform.CpuIsAmd && cluster.Platform.GpusPerNode <= 2 ? PathLevel.SYS : PathLevel.PXB);
        return cluster.WorstIntraPath > level;
    }
}
