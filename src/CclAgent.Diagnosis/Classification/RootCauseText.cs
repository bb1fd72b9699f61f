using CclAgent.Diagnosis.Code;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Classification;

/// <summary>The root cause in one sentence, filled with the facts parsed from the root evidence.</summary>
internal static class RootCauseText
{
    public static string Describe(string category, EvidenceItem root, CodeFinding? explanation, IReadOnlyList<int>? stragglers)
    {
        string F(string key, string fallback = "?") => root.Facts.TryGetValue(key, out string? v) ? v : fallback;
        string text = category switch
        {
            FailureCategory.NanOrInf => $"the loss or gradient norm became NaN/Inf ({root.Signal}{(root.Step is long s ? $", step {s}" : string.Empty)})",
            FailureCategory.LrTooHigh when explanation is not null => $"training diverged: {explanation.Message} ({explanation.File}:{explanation.Line})",
            FailureCategory.LrTooHigh when root.Signal == Signals.LossDiverged.Name => $"training diverged: the framework stopped the run (\"{F("phrase", "diverged")}\"{(root.Facts.ContainsKey("value") ? $", loss = {F("value")}" : string.Empty)}); the learning rate is too high for this model/batch (a schedule tuned for more GPUs or a larger batch, or no warmup)",
            FailureCategory.LrTooHigh => $"training diverged: {(root.Signal == Signals.GradNormExplosion.Name ? "the gradient norm exploded" : "the loss spiked")} to {F("value")} ({F("ratio")}× the recent median); the learning rate is too high for this model/batch",
            FailureCategory.Fp16Overflow when explanation is not null => $"fp16 overflow: {explanation.Message} ({explanation.File}:{explanation.Line})",
            FailureCategory.Fp16Overflow => root.Signal == Signals.Fp16OverflowRepeated.Name
                ? $"fp16 gradients overflow persistently ({F("overflows")} skipped steps)"
                : "the fp16 loss scale collapsed to its minimum: gradients overflow even at scale 1",
            FailureCategory.CodeBug when explanation is not null => $"a bug in the training code: {explanation.Message} ({explanation.File}:{explanation.Line})",
            FailureCategory.CodeBug => CodeBug(root, F),
            FailureCategory.CudaOom => root.Facts.ContainsKey("tried_to_allocate")
                ? $"CUDA out of memory on GPU {F("gpu")}: tried to allocate {F("tried_to_allocate")} with {F("free")} free of {F("total_capacity")}"
                : "CUDA out of memory" + (root.Signal == Signals.NcclCudaOom.Name ? " inside NCCL (its buffers did not fit)" : string.Empty),
            FailureCategory.HostOom when root.Signal == Signals.HostMemoryExhausted.Name => root.Facts.ContainsKey("zone")
                ? $"host memory ran out: the kernel's memory report shows zone {F("zone")} at {F("free")} kB free, below its {F("min")} kB minimum (the OOM killer's report; its Killed-process line is not in the excerpt)"
                : "host memory ran out: the kernel's memory report shows no free swap left (the OOM killer's report; its Killed-process line is not in the excerpt)",
            FailureCategory.HostOom => root.Role == CausalRole.Confirmation
                ? "the process was SIGKILLed (exit -9); the Linux OOM killer is the usual cause, but no OOM-killer line was given (add dmesg)"
                : $"the Linux OOM killer killed {F("process", "the job")} (pid {F("pid")}{(root.Facts.TryGetValue("anon_rss_kb", out string? rss) ? $", anon-rss {long.Parse(rss, System.Globalization.CultureInfo.InvariantCulture) / (1024 * 1024)} GiB" : string.Empty)}): host memory ran out",
            FailureCategory.NcclTimeout => $"an NCCL collective timed out{(root.Facts.ContainsKey("op_type") ? $" ({F("op_type")} SeqNum {F("seq_num")} after {F("ran_ms")} ms)" : string.Empty)}{(stragglers is { Count: > 0 } ? $"; rank {string.Join(", ", stragglers)} fell behind" : string.Empty)}",
            FailureCategory.IbNetworkError => root.Signal == Signals.IbAsyncEvent.Name
                ? $"InfiniBand port event: {F("event")} (a flapping link)"
                : root.Signal == Signals.IbPollCq.Name
                ? $"polling the InfiniBand completion queue failed (ibv_poll_cq returned {F("rc")}): the HCA or its queue is in an error state"
                : $"InfiniBand completion error: status {F("status")} ({F("status_name")}, {F("meaning")}), vendor err {F("vendor_err")}, peer {F("peer", "unknown")}{(root.Facts.ContainsKey("hca") ? $", hca {F("hca")}" : string.Empty)}",
            FailureCategory.SocketNetworkError => $"NCCL socket connection failed: {F("peer", "peer")} {F("reason", "connection error")}",
            FailureCategory.BootstrapInterface => Bootstrap(root, F),
            FailureCategory.ShmExhausted => $"shared memory (/dev/shm) is exhausted{(root.Facts.ContainsKey("size") ? $": NCCL could not create a {F("size")}-byte segment" : string.Empty)}",
            FailureCategory.P2pHang => P2pHang(root, F),
            FailureCategory.GpuXid => $"GPU fault Xid {F("xid")} on {F("pci", "a GPU")}: {F("meaning")}",
            FailureCategory.EccUncorrectable => root.Facts.ContainsKey("xid")
                ? $"uncorrectable GPU memory error (Xid {F("xid")}: {F("meaning")}) on {F("pci", "a GPU")}"
                : "uncorrectable ECC error in GPU memory",
            FailureCategory.CpuSoftLockup => $"CPU soft lockup{(root.Facts.ContainsKey("cpu") ? $": CPU#{F("cpu")} stuck {F("seconds")} s in {F("task")}" : string.Empty)}",
            FailureCategory.HungTask => $"task {F("task")} blocked for more than {F("seconds")} s (usually storage: NFS/Lustre/FUSE mount)",
            _ => $"the failure could not be attributed: strongest line is {root.Signal}",
        };
        return text;
    }

    private static string P2pHang(EvidenceItem root, Func<string, string, string> fact) => root.Signal switch
    {
        "iommu_fault" => "IOMMU faults on GPU peer-to-peer traffic: PCIe ACS/IOMMU blocks P2P, so collectives hang",
        "p2p_bandwidth_collapse" => $"GPU peer-to-peer writes run at {fact("p2p_enabled_gbps", "?")} GB/s against {fact("p2p_disabled_gbps", "?")} GB/s for staged copies (p2pBandwidthLatencyTest): PCIe ACS/IOMMU detours P2P traffic, so NCCL's P2P transport crawls or hangs",
        "nccl_bootstrap_seen" => $"NCCL started on {fact("host", "one host")} and the log stops there with no error: a hang inside the node, most often broken GPU peer-to-peer (test with NCCL_P2P_DISABLE=1)",
        "ranks_on_one_host" => $"all {fact("ranks", "the")} ranks run on {fact("host", "one host")} and the log stops after NCCL's start with no error: a hang inside the node, most often broken GPU peer-to-peer (test with NCCL_P2P_DISABLE=1)",
        "nccl_p2p_transport" => "a collective hung while NCCL used only intra-node P2P: the PCIe ACS/IOMMU signature",
        "pcie_acs_enabled" => "the collectives hung with no error while PCIe ACS redirection is on (lspci ACSCtl): P2P traffic is sent up to the IOMMU and lost",
        "iommu_not_passthrough" => "the collectives hung with no error while the IOMMU is not in pass-through (no iommu=pt): GPU peer-to-peer traffic is not mapped",
        "gpu_pcie_path" => $"the collectives hung with no error on GPUs joined only through PCIe or the host ({fact("links", "no NVLink")}): the PCIe ACS/IOMMU signature",
        _ => "a P2P failure between GPUs of one node",
    };

    private static string Bootstrap(EvidenceItem root, Func<string, string, string> fact)
    {
        string ifname = root.Facts.ContainsKey("nccl_socket_ifname") ? $" (NCCL_SOCKET_IFNAME={fact("nccl_socket_ifname", "?")})" : string.Empty;
        string seen = root.Facts.ContainsKey("unroutable_interfaces") ? $"; NCCL used {fact("unroutable_interfaces", "?")}" : string.Empty;
        return root.Signal switch
        {
            "c10d_rendezvous_connect_error" => $"the rendezvous store {fact("endpoint", "(MASTER_ADDR:MASTER_PORT)")} could not be reached",
            "nccl_virtual_interface" => $"NCCL talked over {fact("interface", "a virtual interface")}, a container bridge, loopback or link-local address other nodes cannot reach",
            "nccl_connect_bridge_address" => $"NCCL tried to connect to {fact("peer", "a bridge address")}, a container bridge, loopback or link-local address other nodes cannot reach{seen}",
            "nccl_socket_ifname_unresolved" => $"the interface NCCL was told to use has no usable address on this node{ifname}",
            _ => $"NCCL bootstrap found no usable network interface{ifname}{seen}",
        };
    }

    private static string CodeBug(EvidenceItem root, Func<string, string, string> fact)
    {
        string where = root.Facts.ContainsKey("code_location") ? $" at {fact("code_location", "?")}" : string.Empty;
        return root.Signal switch
        {
            "python_exception" => $"the training code raised {fact("type", "an exception")}{where}: {fact("message", string.Empty)}",
            "cuda_device_assert" => "a CUDA device-side assert: an index out of range (labels, embedding ids) in the model's inputs",
            "segfault_in_libnccl" => "a segmentation fault inside libnccl",
            "nccl_duplicate_gpu" => $"two ranks use the same GPU: rank {fact("rank", "?")} and rank {fact("other_rank", "?")} both on CUDA device {fact("device", "?")} (the process-to-GPU mapping is wrong)",
            "nccl_invalid_usage" => "NCCL rejected the configuration or the API use (ncclInvalidUsage)",
            "loss_exact_zero" => "the loss is exactly 0.0 for many steps: every label is probably masked or the loss is detached",
            _ => $"the job crashed ({root.Signal})",
        };
    }
}
