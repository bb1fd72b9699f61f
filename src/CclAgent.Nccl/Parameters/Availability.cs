using CclAgent.Nccl.Platforms;

namespace CclAgent.Nccl.Parameters;

/// <summary>Which algorithms NCCL implements for which collectives (src/device/*.h, enqueue.cc).</summary>
public static class Availability
{
    public static bool Supports(NcclAlgorithm algorithm, CollectiveOp op, NcclPlatform platform) => algorithm switch
    {
        NcclAlgorithm.Ring => true,
        NcclAlgorithm.Tree => op == CollectiveOp.AllReduce,
        NcclAlgorithm.Nvls => platform.NvlsSupported && op is CollectiveOp.AllReduce or CollectiveOp.AllGather or CollectiveOp.ReduceScatter,
        NcclAlgorithm.NvlsTree => platform.NvlsSupported && platform.MultiNode && op == CollectiveOp.AllReduce,
        NcclAlgorithm.Pat => op is CollectiveOp.AllGather or CollectiveOp.ReduceScatter && platform.GpusPerNode == 1,
        _ => false,
    };

    public static bool Supports(NcclAlgorithm algorithm, NcclProtocol protocol) =>
        algorithm is not (NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree or NcclAlgorithm.Pat) || protocol == NcclProtocol.Simple;
}
