using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;

namespace CclAgent.Tuning.Risk;

/// <summary>
/// The tuner's estimate of the device memory NCCL allocates per GPU for a configuration, following NCCL's
/// setup per communicator (one per communicator shape of the workload):
/// <list type="bullet">
/// <item>Ring (src/transport.cc ncclTransportP2pSetup, src/transport/p2p.cc p2pRecvSetup / net.cc): every channel
/// connects to its ring predecessor and successor; each connection holds the LL, LL128 and Simple buffers
/// (buffSizes[p], NCCL_BUFFSIZE for Simple) — 2 peers × (Simple + LL + LL128) per channel.</item>
/// <item>Tree (src/init.cc "Connect Trees": ncclTransportP2pConnect with tree.up and tree.down[NCCL_MAX_TREE_ARITY = 3],
/// both directions) when Tree may run an all-reduce: up to 3 more peers per channel. Even on one node, where the
/// chain's neighbours are the ring's, the tree receives from its child and sends to its parent — the reverse of
/// the ring's links — so those are new connections with their own buffers.</item>
/// <item>NVLS (src/transport/nvls.cc ncclNvlsBufferSetup) on NVSwitch Hopper+ when NVLS may run:
/// nvlsChannels × 2 × (NCCL_NVLS_CHUNKSIZE 128 KiB × NCCL_STEPS 8) × nHeads (the node's ranks), independent of
/// NCCL_BUFFSIZE; nvlsChannels is NCCL_NVLS_NCHANNELS (16) clamped by NCCL_MIN/MAX_NCHANNELS (min/maxCTAs).</item>
/// </list>
/// P2P send/recv channels (NCCL_NCHANNELS_PER_NET_PEER) are not counted: no shipped workload models send/recv.
/// NCCL's own channel count is not known to the tuner, so unset channels take an upper estimate per fabric.
/// </summary>
internal static class BufferEstimate
{
    private const double LlBytes = 524_288;       // NCCL_LL_BUFFSIZE default: 512 KiB (src/init.cc DEFAULT_LL_BUFFSIZE)
    private const double Ll128Bytes = 4_915_200;  // NCCL_LL128_BUFFSIZE default (src/init.cc DEFAULT_LL128_BUFFSIZE)
    private const double SimpleBytes = 4 << 20;   // NCCL_BUFFSIZE default 4 MiB (src/init.cc DEFAULT_BUFFSIZE)
    private const double NvlsStepBytes = 128 << 10; // NCCL_NVLS_CHUNKSIZE default 128 KiB
    private const int Steps = 8;                  // NCCL_STEPS
    private const int NvlsChannels = 16;          // NCCL_NVLS_NCHANNELS default on Hopper
    private const int TreeExtraPeers = 3;          // NCCL_MAX_TREE_ARITY children, the parent is a ring-like peer

    public static double Gib(NcclPlatform platform, IReadOnlyList<CollectiveCall> communicators, NcclConfig config)
    {
        double total = 0;
        // One communicator per shape: its channels connect once, whatever ops run on it.
        foreach (IGrouping<(int Nodes, int RanksPerNode), CollectiveCall> communicator in communicators.GroupBy(c => (c.Nodes, c.RanksPerNode)))
        {
            CollectiveCall call = communicator.First();
            int channels = Channels(platform, call, config);
            bool tree = communicator.Any(c => c.Op == CollectiveOp.AllReduce) && config.Algorithm is null or NcclAlgorithm.Tree;
            double perPeer = (config.BuffSize ?? SimpleBytes) + LlBytes + (platform.Ll128Supported || config.Protocol == NcclProtocol.LL128 ? Ll128Bytes : 0);
            total += channels * (2 + (tree ? TreeExtraPeers : 0)) * perPeer;
            total += communicator.Any(c => c.Op is CollectiveOp.AllReduce or CollectiveOp.AllGather or CollectiveOp.ReduceScatter) ? NvlsBytes(platform, call, config) : 0;
        }

        return total / (1024.0 * 1024 * 1024);
    }

    private static double NvlsBytes(NcclPlatform platform, CollectiveCall call, NcclConfig config)
    {
        bool nvls = platform.NvlsSupported && call.RanksPerNode > 1
            && config.Algorithm is null or NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree;
        if (!nvls)
        {
            return 0;
        }

        int channels = Math.Max(config.MinChannels ?? 1, Math.Min(config.MaxChannels ?? NvlsChannels, NvlsChannels));
        return channels * 2.0 * NvlsStepBytes * Steps * call.RanksPerNode;
    }

    /// <summary>Channels NCCL builds: the configured bounds, else an upper estimate of its own topology-search count.</summary>
    private static int Channels(NcclPlatform platform, CollectiveCall call, NcclConfig config)
    {
        int estimate = platform.Fabric switch
        {
            IntraFabric.NvSwitch => 32,
            IntraFabric.NvLink => 16,
            _ => 4,
        };
        if (call.RanksPerNode <= 1 || call.Nodes > 1)
        {
            estimate = Math.Min(estimate, Math.Max(4, 4 * platform.NicsPerNode));
        }

        int channels = config.MaxChannels is int max ? Math.Min(estimate, max) : estimate;
        return Math.Max(channels, config.MinChannels ?? 0);
    }
}
