using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Matchers;

namespace CclAgent.Diagnosis.Recommendations;

/// <summary>
/// Fixes for an InfiniBand/RoCE error chosen by its work-completion status: the status says which part is broken
/// (4: GPUDirect RDMA through PCIe ACS/IOMMU; 5: nothing, it is a consequence; 12: the path between the two NICs;
/// 13: the peer), so "check the cable" comes first only where the cable is the suspect.
/// </summary>
internal static class IbRecommendations
{
    public static void Plan(EvidenceItem? root, Action<string, string, string, string, string?, string?, string?> add, Func<string, string, string> fact)
    {
        string peer = fact("peer", "its peer");
        string hca = root?.Facts.ContainsKey("hca") == true ? fact("hca", "") : "the HCA NCCL used";
        if (root?.Signal == Signals.IbVerbsCall.Name)
        {
            VerbsCall(add, fact("call", ""), fact("error", ""), peer, hca);
            return;
        }

        switch (root?.Signal == Signals.IbAsyncEvent.Name || root?.Signal == Signals.IbPollCq.Name ? "port" : fact("status", ""))
        {
            case IbStatus.LocalProtection:
                LocalProtection(add);
                break;
            case IbStatus.Flush:
                add(Priority.High, "investigate", $"status 5 (IBV_WC_WR_FLUSH_ERR) is a consequence, not the fault: find the first other error, an earlier completion error with another status in this or {peer}'s log, that rank's own failure (OOM, Xid, exception), or dmesg -T on both nodes", "30 min", null, null, null);
                LinkCheck(add, Priority.Medium, peer, hca);
                break;
            case IbStatus.RetryExceeded:
                LinkCheck(add, Priority.Critical, peer, hca);
                RoceAddressing(add, IsRoce(root) ? Priority.High : Priority.Medium);
                add(Priority.Medium, "env", "only for a lossy (not a broken) link: give IB more time and retries before failing (NVIDIA/nccl#902: no help when the NICs cannot reach each other)", "5 min", "NCCL_IB_TIMEOUT=22", "also NCCL_IB_RETRY_CNT=10", null);
                break;
            case IbStatus.RnrRetryExceeded:
                add(Priority.High, "investigate", $"receiver-not-ready: {peer} stopped posting receives, so it probably died or stalled; read that rank's log and its node's dmesg -T (OOM killer, Xid, exception) before touching the network", "30 min", null, null, null);
                LinkCheck(add, Priority.Medium, peer, hca);
                break;
            default:
                LinkCheck(add, Priority.Critical, peer, hca);
                add(Priority.High, "env", "for a lossy (not a broken) link, give IB more time and retries before failing (NVIDIA/nccl#902: no help when the NICs cannot reach each other)", "5 min", "NCCL_IB_TIMEOUT=22", "also NCCL_IB_RETRY_CNT=10", null);
                RoceAddressing(add, Priority.Medium);
                break;
        }
    }

    /// <summary>A verbs call that sets a connection up failed: the call and its error say which resource or address is wrong.</summary>
    private static void VerbsCall(Action<string, string, string, string, string?, string?, string?> add, string call, string error, string peer, string hca)
    {
        if (call.StartsWith("ibv_reg_mr", StringComparison.Ordinal) || error.Contains("Cannot allocate memory", StringComparison.OrdinalIgnoreCase))
        {
            add(Priority.Critical, "node", $"{call} could not pin memory: the locked-memory limit is too low for RDMA registration; check ulimit -l inside the job (it must be unlimited) and raise it: limits.conf memlock unlimited, docker --ulimit memlock=-1:-1, Slurm PropagateResourceLimits/--propagate=MEMLOCK", "15 min", null, "ulimit -l unlimited", null);
            add(Priority.Medium, "node", "for GPU buffers also check that GPUDirect RDMA is loaded: lsmod | grep -E 'nvidia_peermem|nv_peer_mem'", "10 min", null, null, null);
            return;
        }

        if (call.StartsWith("ibv_modify_qp", StringComparison.Ordinal))
        {
            add(Priority.Critical, "env", $"{call} failed ({error.Trim()}): the queue pair could not be moved to the state that reaches {peer}; pin NCCL to HCA ports that are Active and reachable (ibstat; on SR-IOV a VF that exists in this container)", "15 min", "NCCL_IB_HCA=mlx5_0:1", "replace with the ports ibstat shows Active", null);
            RoceAddressing(add, Priority.High);
            add(Priority.Medium, "env", "with several NICs per node on separate rails, let NCCL pair NICs across rails or forbid it, whichever matches the fabric", "10 min", "NCCL_CROSS_NIC=1", "or NCCL_CROSS_NIC=0 on rail-optimised fabrics", null);
            return;
        }

        LinkCheck(add, Priority.Critical, peer, hca);
        add(Priority.High, "node", $"{call} failed ({error.Trim()}): check the HCA and its limits on this node: ibv_devinfo, ulimit -l (unlimited), and that the container sees /dev/infiniband", "15 min", null, null, null);
    }

    private static void LocalProtection(Action<string, string, string, string, string?, string?, string?> add)
    {
        add(Priority.Critical, "env", "confirm that GPUDirect RDMA is what fails: rerun with it off; if the error goes away, PCIe ACS/IOMMU is redirecting the NIC's peer-to-peer reads of GPU memory (NVIDIA/nccl#928)", "10 min",
            "NCCL_NET_GDR_LEVEL=LOC", "older NCCL spells it NCCL_NET_GDR_LEVEL=0; slower, so a test, not the fix", null);
        add(Priority.High, "node", "disable PCIe ACS on the bridges between the NICs and the GPUs: lspci -vvv | grep ACSCtl shows SrcValid+/ReqRedir+ where it is on; clear it with setpci -s <bridge> ECAP_ACS+0x6.w=0000 at every boot, or in the BIOS; with the IOMMU on, boot with iommu=pt", "1–2 h, node reboot", null, null, null);
        add(Priority.Medium, "node", "check the GPUDirect RDMA module is loaded on every node: lsmod | grep -E 'nvidia_peermem|nv_peer_mem' (modprobe nvidia-peermem)", "10 min", null, null, null);
        add(Priority.Medium, "env", "check NCCL uses the HCAs next to the GPUs (ibstat, nvidia-smi topo -m) and pin them", "15 min", "NCCL_IB_HCA=mlx5_0,mlx5_1", "replace the list with the HCAs ibstat shows Active", null);
    }

    private static void LinkCheck(Action<string, string, string, string, string?, string?, string?> add, string priority, string peer, string hca) =>
        add(priority, "node", $"check the path between this node and {peer} on {hca}: ibstat (State: Active, Physical state: LinkUp), ibv_devinfo, port error counters (perfquery), ping the peer over the HCA's netdev (ibdev2netdev), ib_write_bw -d <hca> between the two hosts; drain the node if counters keep rising", "30 min–2 h", null, null, null);

    private static void RoceAddressing(Action<string, string, string, string, string?, string?, string?> add, string priority) =>
        add(priority, "env", "on RoCE, status 12 is usually addressing: run show_gids (or ibv_devinfo -v) on both nodes and use the index of the RoCE v2 GID that carries the node's routable IP, on the same VLAN, with the same MTU end to end", "15 min",
            "NCCL_IB_GID_INDEX=3", "3 is the usual RoCE v2/IPv4 index, use the one show_gids lists; on a lossless (PFC) fabric also set its traffic class, e.g. NCCL_IB_TC=106", null);

    private static bool IsRoce(EvidenceItem? root) =>
        root is not null && (root.Text.Contains("localGid", StringComparison.Ordinal) || root.Text.Contains("RoCE", StringComparison.OrdinalIgnoreCase));
}
