using CclAgent.Core.Context;
using CclAgent.Core.Workloads;

namespace CclAgent.Tuning.Offline;

/// <summary>Derives the context signature memory keys on from a workload: hardware, scale, model, dominant communication and the whole collective mix.</summary>
internal static class ContextSignatureBuilder
{
    public static ContextFeatures From(WorkloadSpec workload)
    {
        ClusterSpec cluster = workload.Cluster!;
        CollectiveSpec dominant = workload.Iteration!.Collectives!.MaxBy(c => (double)c.Bytes!.Value * c.Count)!;
        return new ContextFeatures
        {
            GpuGeneration = cluster.Generation!.ToLowerInvariant(),
            Gpu = cluster.Gpu ?? "unknown",
            IntraFabric = cluster.IntraFabric!.ToLowerInvariant(),
            NetworkKind = (cluster.Nodes ?? 1) > 1 ? cluster.Network?.Kind?.ToLowerInvariant() ?? "none" : "none",
            Nodes = cluster.Nodes ?? 1,
            GpusPerNode = cluster.GpusPerNode ?? 1,
            NicGbps = (cluster.Nodes ?? 1) > 1 ? cluster.Network?.NicGbps ?? 0 : 0,
            ModelName = workload.Model?.Name ?? workload.Name ?? "unknown",
            Framework = workload.Model?.Framework ?? "pytorch",
            DominantOp = dominant.Op!,
            DominantSizeLog2 = (int)Math.Round(Math.Log2(dominant.Bytes!.Value)),
            Mix = CollectiveMix.From(workload.Iteration.Collectives!, cluster.Nodes ?? 1, cluster.GpusPerNode ?? 1),
        };
    }
}
