using CclAgent.Core.Context;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.CrossRun;

/// <summary>
/// The cross-run model's input: the context (hardware, scale, dominant communication) and the
/// configuration, as numbers. Context features let one model serve similar, not identical, contexts.
/// </summary>
internal static class CrossRunFeatures
{
    public const int Count = 27;

    public static float[] Encode(ContextFeatures context, NcclConfig config)
    {
        var f = new float[Count];
        f[0] = context.Nodes;
        f[1] = context.GpusPerNode;
        f[2] = (float)Math.Log2(1 + context.NicGbps);
        f[3] = context.IntraFabric == "nvswitch" ? 1 : 0;
        f[4] = context.IntraFabric == "nvlink" ? 1 : 0;
        f[5] = context.IntraFabric == "pcie" ? 1 : 0;
        f[6] = context.NetworkKind switch { "infiniband" => 1, "roce" => 2, "tcp" => 3, "efa" => 4, _ => 0 };
        f[7] = context.GpuGeneration switch { "volta" => 0, "ampere" => 1, "hopper" => 2, _ => 3 };
        f[8] = context.DominantSizeLog2;
        f[9] = context.DominantOp switch { "all_reduce" => 0, "all_gather" => 1, "reduce_scatter" => 2, _ => 3 };
        f[10] = config.Algorithm is null ? 1 : 0;
        f[11] = config.Algorithm == NcclAlgorithm.Ring ? 1 : 0;
        f[12] = config.Algorithm == NcclAlgorithm.Tree ? 1 : 0;
        f[13] = config.Algorithm is NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree ? 1 : 0;
        f[14] = config.Protocol is null ? 1 : 0;
        f[15] = config.Protocol == NcclProtocol.LL ? 1 : 0;
        f[16] = config.Protocol == NcclProtocol.LL128 ? 1 : 0;
        f[17] = config.Protocol == NcclProtocol.Simple ? 1 : 0;
        f[18] = config.NThreads is int t ? (float)Math.Log2(t) : 0;
        f[19] = config.BuffSize is long b ? (float)Math.Log2(b) : 0;
        f[20] = config.MaxChannels ?? 0;
        f[21] = config.P2PLevel is PathLevel p ? (int)p + 1 : 0;
        f[22] = config.NetGdrLevel is PathLevel g ? (int)g + 1 : 0;
        f[23] = config.IbQpsPerConnection ?? 0;
        f[24] = config.SocketNThreads ?? 0;
        f[25] = config.NSocksPerThread ?? 0;
        f[26] = config.CrossNic is int x ? x + 1 : 0;
        return f;
    }
}
