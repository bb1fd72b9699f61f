using System.Globalization;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;

namespace CclAgent.Tuning.Knowledge;

/// <summary>
/// Documented effects of NCCL settings (NCCL env docs and troubleshooting guide, NVIDIA/nccl issues,
/// AutoCCL), turned into hypotheses for the contexts they describe. Each is only a candidate: the
/// surrogate ranks it and the risk scorer filters it like any other.
/// </summary>
internal static class KnowledgeBase
{
    public static IReadOnlyList<KnowledgeRule> For(WorkloadSpec workload, NcclPlatform platform)
    {
        var rules = new List<KnowledgeRule>();
        IReadOnlyList<CollectiveSpec> collectives = workload.Iteration!.Collectives!;
        if (platform.MultiNode && (platform.Network == NetworkKind.Roce || workload.Cluster!.Network?.Ecmp == true))
        {
            rules.Add(new("roce-ecmp-qps", Patch((ParameterSpace.IbQps, "4")),
                "more QPs per connection spread flows over ECMP paths on RoCE fabrics",
                "NCCL troubleshooting/performance_and_tuning: NCCL_IB_QPS_PER_CONNECTION for ECMP/RoCE"));
        }

        if (platform.MultiNode && platform.Network == NetworkKind.Tcp)
        {
            rules.Add(new("tcp-socket-threads", Patch((ParameterSpace.SocketNThreads, "4"), (ParameterSpace.NSocksPerThread, "4")),
                "one socket per helper thread cannot fill a fast NIC; 4×4 is NCCL's suggestion for 100G",
                "NCCL env docs: NCCL_SOCKET_NTHREADS / NCCL_NSOCKS_PERTHREAD"));
        }

        if (platform.Fabric == IntraFabric.Pcie && platform.GpusPerNode > 2 && !platform.AcsEnabled && !platform.CpuIsAmd)
        {
            rules.Add(new("pcie-p2p-host-bridge", Patch((ParameterSpace.P2PLevel, "SYS")),
                "GPUs behind different root ports fall back to host shared memory under the default P2P_LEVEL=PXB; P2P through an Intel root complex is usually faster",
                "NCCL env docs: NCCL_P2P_LEVEL; NVIDIA/nccl#1530 (PCIe-only rings)"));
        }

        string? gpuNicPath = workload.Cluster!.Network?.GpuNicPath;
        if (platform.MultiNode && platform.GdrSupported && gpuNicPath is "PHB" or "SYS")
        {
            rules.Add(new("gdr-beyond-pxb", Patch((ParameterSpace.NetGdrLevel, gpuNicPath)),
                "the NIC is farther than PXB from the GPU, so GPUDirect RDMA is off by default and data is staged through host memory",
                "NCCL env docs: NCCL_NET_GDR_LEVEL"));
        }

        if (platform.MultiNode && platform.NicsPerNode > 1 && workload.Cluster.Network?.RailOptimized == true)
        {
            rules.Add(new("rail-same-nic", Patch((ParameterSpace.CrossNic, "0")),
                "on rail-optimized fabrics a ring that changes NIC crosses the spine",
                "NCCL env docs: NCCL_CROSS_NIC; NVIDIA/nccl#1411"));
        }

        if (collectives.Any(c => c.Overlap >= 0.5))
        {
            rules.Add(new("overlap-fewer-channels", Patch((ParameterSpace.MinChannels, "4"), (ParameterSpace.MaxChannels, "4")),
                "each channel is a CTA holding an SM; when communication overlaps compute, fewer channels leave SMs to the kernels",
                "NVIDIA/nccl#689 and #1656 (SMs per channel); AutoCCL (NSDI'25) compute/communication interference"));
        }

        double smallShare = collectives.Where(c => c.Bytes < 65536).Sum(c => (double)c.Count) / Math.Max(1, collectives.Sum(c => (double)c.Count));
        if (smallShare > 0.5)
        {
            rules.Add(new("small-messages-ll", Patch((ParameterSpace.Proto, "LL")),
                string.Create(CultureInfo.InvariantCulture, $"{smallShare:P0} of calls are under 64 KiB, where LL's latency wins"),
                "NCCL tuning model (src/graph/tuning.cc): LL for latency-bound sizes"));
        }

        return rules;
    }

    /// <summary>
    /// Attaches the knowledge-note chunks that document each rule: a BM25 query made of the rule's
    /// variables and rationale, keeping chunks that mention one of the variables (so a citation is
    /// about the knob, not merely about similar words).
    /// </summary>
    public static IReadOnlyList<KnowledgeRule> Cite(IReadOnlyList<KnowledgeRule> rules, IKnowledgeSource library) =>
        rules.Select(rule =>
        {
            string query = string.Join(' ', rule.Patch.Keys) + " " + rule.Rationale;
            var citations = library.Search(query, 6)
                .Where(r => rule.Patch.Keys.Any(k => (r.Heading + " " + r.Text).Contains(k, StringComparison.OrdinalIgnoreCase)))
                .Take(2).Select(r => r.Citation).ToList();
            return rule with { Citations = citations };
        }).ToList();

    private static Dictionary<string, string> Patch(params (string Name, string Value)[] assignments) =>
        assignments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);
}
