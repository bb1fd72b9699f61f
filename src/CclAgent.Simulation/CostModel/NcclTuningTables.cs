using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;

namespace CclAgent.Simulation.CostModel;

/// <summary>
/// NCCL's own cost-model constants (src/graph/tuning.cc, src/enqueue.cc, src/include/device.h at NVIDIA/nccl 5067397c;
/// reproduced in docs/simulator.md §3).
/// Indexes: algorithm as <see cref="NcclAlgorithm"/>, protocol as <see cref="NcclProtocol"/>.
/// </summary>
public static class NcclTuningTables
{
    /// <summary>baseLatencies[algo][LL, LL128, Simple] in µs.</summary>
    public static double BaseLatency(NcclAlgorithm algorithm, NcclProtocol protocol) => algorithm switch
    {
        NcclAlgorithm.Tree => protocol switch { NcclProtocol.LL => 6.8, NcclProtocol.LL128 => 14.0, _ => 8.4 },
        NcclAlgorithm.Ring => protocol switch { NcclProtocol.LL => 6.6, NcclProtocol.LL128 => 14.0, _ => 8.4 },
        NcclAlgorithm.Pat => 8.0,
        _ => 0.0,
    };

    /// <summary>hwLatencies[link][algo][proto] in µs per hop.</summary>
    public static double HopLatency(LinkKind link, NcclAlgorithm algorithm, NcclProtocol protocol)
    {
        int p = (int)protocol;
        return (link, algorithm) switch
        {
            (LinkKind.NvLink, NcclAlgorithm.Tree) => new[] { 0.6, 1.25, 4.0 }[p],
            (LinkKind.NvLink, NcclAlgorithm.Ring) => new[] { 0.6, 1.9, 3.4 }[p],
            (LinkKind.NvLink, NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree) => 25.0,
            (LinkKind.Pci, NcclAlgorithm.Tree) => new[] { 1.0, 1.9, 4.0 }[p],
            (LinkKind.Pci, NcclAlgorithm.Ring) => new[] { 1.0, 2.5, 5.7 }[p],
            (LinkKind.Net, NcclAlgorithm.Tree) => new[] { 5.0, 8.5, 14.0 }[p],
            (LinkKind.Net, NcclAlgorithm.Ring) => new[] { 2.7, 4.0, 14.0 }[p],
            (LinkKind.Net, NcclAlgorithm.Nvls) => 18.0,
            (LinkKind.Net, NcclAlgorithm.NvlsTree) => 20.9,
            _ => 4.0,
        };
    }

    /// <summary>llMaxBws[compcap][1 node, 2 nodes, ≥4 nodes] in GB/s.</summary>
    public static double LlMaxBw(GpuGeneration generation, int nodes) => Scale(generation, nodes,
        volta: [39, 39, 20.4], ampere: [87.7, 22.5, 19], hopper: [141, 45, 35], blackwell: [282, 90, 70]);

    /// <summary>perChMaxRingLL128Bws in GB/s per channel.</summary>
    public static double PerChannelMaxRingLl128(GpuGeneration generation) => generation switch
    {
        GpuGeneration.Hopper => 36.7,
        GpuGeneration.Blackwell => 40,
        _ => 20,
    };

    /// <summary>perChMaxTreeBws[compcap][scale] in GB/s per channel.</summary>
    public static double PerChannelMaxTree(GpuGeneration generation, int nodes) => Scale(generation, nodes,
        volta: [26.5, 18.5, 10], ampere: [24, 23.6, 17.8], hopper: [38.7, 41.4, 36], blackwell: [70, 42.8, 24]);

    /// <summary>perChMaxTreeLL128Bws in GB/s per channel (Volta/Ampere use the ring value).</summary>
    public static double PerChannelMaxTreeLl128(GpuGeneration generation, int nodes) => Scale(generation, nodes,
        volta: [20, 20, 20], ampere: [20, 20, 20], hopper: [36.7, 36.7, 29], blackwell: [55.6, 31.67, 20]);

    public static double NvlsEfficiency(GpuGeneration generation) => generation == GpuGeneration.Blackwell ? 0.74 : 0.85;

    /// <summary>treeCorrectionFactor[proto][log2(nBytes/64)] for 24 sizes from 64 B.</summary>
    public static double TreeCorrection(NcclProtocol protocol, long bytes)
    {
        double[] table = protocol switch
        {
            NcclProtocol.LL => [1, 1, 1, 1, .9, .8, .7, .7, .7, .7, .6, .5, .4, .4, .5, .6, .7, .8, .9, 1, 1, 1, 1, 1],
            NcclProtocol.LL128 => [1, 1, 1, 1, 1, .9, .8, .8, .8, .7, .6, .6, .6, .6, .6, .6, .8, .9, .9, .9, .9, 1, 1, 1],
            _ => [.9, .9, .9, .9, .9, .9, .9, .8, .7, .6, .6, .5, .5, .5, .5, .6, .7, .8, .7, .7, .8, .9, .9, .9],
        };
        int index = (int)Math.Clamp(Math.Floor(Math.Log2(Math.Max(1, bytes >> 6))), 0, 23);
        return table[index];
    }

    /// <summary>Bytes per thread under which NCCL drops channels, then threads (enqueue.cc topoGetAlgoInfo).</summary>
    public static int ThreadThreshold(NcclAlgorithm algorithm, NcclProtocol protocol, int ranks) => protocol switch
    {
        NcclProtocol.LL => algorithm == NcclAlgorithm.Ring ? 8 * ranks : 8,
        NcclProtocol.LL128 => 8,
        _ => 64,
    };

    public const int MaxChannels = 64;
    public const int MaxThreads = 640;
    public const int SimpleMaxThreads = 512;
    public const int LlMaxThreads = 512;
    public const int Ll128MaxThreads = 640;
    public const long DefaultSimpleBuffSize = 4 * 1024 * 1024;
    public const long DefaultLlBuffSize = 524_288;
    public const long DefaultLl128BuffSize = 4_915_200;
    public const int Steps = 8;

    private static double Scale(GpuGeneration generation, int nodes, double[] volta, double[] ampere, double[] hopper, double[] blackwell)
    {
        int scale = nodes <= 1 ? 0 : nodes == 2 ? 1 : 2;
        double[] row = generation switch
        {
            GpuGeneration.Volta => volta,
            GpuGeneration.Ampere => ampere,
            GpuGeneration.Hopper => hopper,
            _ => blackwell,
        };
        return row[scale];
    }
}
