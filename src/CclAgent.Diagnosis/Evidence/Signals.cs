using CclAgent.Diagnosis.Classification;

namespace CclAgent.Diagnosis.Evidence;

/// <summary>
/// Every signal the matchers report. Weights are the strength of a signal as a root cause: a line that
/// names its fault precisely (Xid 79, CUDA OOM with sizes) is near 1; a symptom (watchdog timeout) is 0.5.
/// </summary>
internal static class Signals
{
    private const string Init = CausalRole.Initiating;
    private const string Cascade = CausalRole.Cascade;

    public static readonly Signal LossNonFinite = new("loss_non_finite", FailureCategory.NanOrInf, Init, 0.85);
    public static readonly Signal GradNormNonFinite = new("grad_norm_non_finite", FailureCategory.NanOrInf, Init, 0.8);
    public static readonly Signal DegenerateBoxes = new("degenerate_predicted_boxes", FailureCategory.NanOrInf, Init, 0.7);
    public static readonly Signal AnomalyNan = new("autograd_anomaly_nan", FailureCategory.NanOrInf, Init, 0.85);
    // The framework stopped the run itself because the loss diverged ("Loss is diverging!", "Model diverged with loss = NaN").
    public static readonly Signal LossDiverged = new("loss_diverged", FailureCategory.LrTooHigh, Init, 0.85);
    public static readonly Signal LossSpike = new("loss_spike", FailureCategory.LrTooHigh, Init, 0.6);
    public static readonly Signal GradNormExplosion = new("grad_norm_explosion", FailureCategory.LrTooHigh, Init, 0.7);
    public static readonly Signal LossExactZero = new("loss_exact_zero", FailureCategory.CodeBug, Init, 0.45);
    public static readonly Signal LossScaleMinimum = new("loss_scale_at_minimum", FailureCategory.Fp16Overflow, Init, 0.9);
    public static readonly Signal LossScaleCollapse = new("loss_scale_collapse", FailureCategory.Fp16Overflow, Init, 0.85);
    public static readonly Signal Fp16OverflowRepeated = new("fp16_overflow_repeated", FailureCategory.Fp16Overflow, Init, 0.55);
    public static readonly Signal Fp16OverflowBenign = new("fp16_overflow_benign", FailureCategory.Fp16Overflow, CausalRole.Context, 0.1);
    public static readonly Signal CudaOom = new("cuda_oom", FailureCategory.CudaOom, Init, 0.95);
    public static readonly Signal NcclCudaOom = new("nccl_cuda_oom", FailureCategory.CudaOom, Init, 0.9);
    public static readonly Signal HostOomKill = new("host_oom_kill", FailureCategory.HostOom, Init, 0.9);
    public static readonly Signal HostOomInvoked = new("host_oom_invoked", FailureCategory.HostOom, Init, 0.85);
    // The kernel's memory report (show_mem, printed when an allocation fails or the OOM killer runs): a zone below its
    // min watermark or no swap left means host memory ran out, even when the "Killed process" line was not pasted.
    public static readonly Signal HostMemoryExhausted = new("host_memory_exhausted", FailureCategory.HostOom, Init, 0.75);
    public static readonly Signal ProcessKilled = new("process_sigkill", FailureCategory.HostOom, CausalRole.Confirmation, 0.3);
    public static readonly Signal WatchdogTimeout = new("nccl_watchdog_timeout", FailureCategory.NcclTimeout, Cascade, 0.5);
    public static readonly Signal WatchdogStatus = new("nccl_watchdog_status", FailureCategory.NcclTimeout, Cascade, 0.45);
    public static readonly Signal WatchdogHeartbeat = new("nccl_watchdog_heartbeat", FailureCategory.NcclTimeout, Cascade, 0.45);
    public static readonly Signal IbCompletion = new("nccl_ib_completion_error", FailureCategory.IbNetworkError, Init, 0.9);
    public static readonly Signal IbFlush = new("nccl_ib_flush_error", FailureCategory.IbNetworkError, Cascade, 0.4);
    public static readonly Signal IbPollCq = new("nccl_ib_poll_cq_error", FailureCategory.IbNetworkError, Init, 0.8);
    public static readonly Signal IbVerbsCall = new("nccl_ib_verbs_call_failed", FailureCategory.IbNetworkError, Init, 0.8);
    public static readonly Signal IbAsyncEvent = new("nccl_ib_async_event", FailureCategory.IbNetworkError, Init, 0.8);
    public static readonly Signal SocketConnect = new("nccl_socket_connect_error", FailureCategory.SocketNetworkError, Init, 0.85);
    public static readonly Signal SocketClosed = new("nccl_socket_closed_by_peer", FailureCategory.SocketNetworkError, Cascade, 0.45);
    public static readonly Signal BootstrapNoInterface = new("nccl_bootstrap_no_interface", FailureCategory.BootstrapInterface, Init, 0.95);
    public static readonly Signal BootstrapError = new("nccl_bootstrap_error", FailureCategory.BootstrapInterface, Init, 0.8);
    public static readonly Signal SocketIfnameUnresolved = new("nccl_socket_ifname_unresolved", FailureCategory.BootstrapInterface, Init, 0.85);
    public static readonly Signal BridgeAddressConnect = new("nccl_connect_bridge_address", FailureCategory.BootstrapInterface, Init, 0.88);
    public static readonly Signal VirtualInterface = new("nccl_virtual_interface", FailureCategory.BootstrapInterface, CausalRole.Context, 0.5);
    public static readonly Signal RendezvousConnect = new("c10d_rendezvous_connect_error", FailureCategory.BootstrapInterface, Init, 0.75);
    public static readonly Signal ShmSegment = new("nccl_shm_segment_error", FailureCategory.ShmExhausted, Init, 0.9);
    public static readonly Signal ShmBusError = new("dataloader_shm_bus_error", FailureCategory.ShmExhausted, Init, 0.85);
    public static readonly Signal IommuFault = new("iommu_fault", FailureCategory.P2pHang, Init, 0.8);
    public static readonly Signal P2pError = new("nccl_p2p_error", FailureCategory.P2pHang, Init, 0.75);
    public static readonly Signal P2pBandwidthCollapse = new("p2p_bandwidth_collapse", FailureCategory.P2pHang, Init, 0.75);
    public static readonly Signal AcsEnabled = new("pcie_acs_enabled", FailureCategory.P2pHang, CausalRole.Context, 0.4);
    public static readonly Signal IommuNotPassthrough = new("iommu_not_passthrough", FailureCategory.P2pHang, CausalRole.Context, 0.4);
    public static readonly Signal GpuPciePath = new("gpu_pcie_path", FailureCategory.P2pHang, CausalRole.Context, 0.3);
    public static readonly Signal RunCompleted = new("run_completed", FailureCategory.Unknown, CausalRole.Context, 0);
    public static readonly Signal SocketFamilyUnsupported = new("nccl_socket_family_unsupported", FailureCategory.BootstrapInterface, Init, 0.85);
    public static readonly Signal NcclInitComplete = new("nccl_init_complete", FailureCategory.Unknown, CausalRole.Context, 0);
    // NCCL began to initialise on this host (its "Bootstrap : Using …" line); the host name is the variant.
    public static readonly Signal NcclBootstrapSeen = new("nccl_bootstrap_seen", FailureCategory.Unknown, CausalRole.Context, 0);
    // Every rank of the job runs on one host (nNodes 1, every rank's init line or nccl-tests' device table under one host).
    public static readonly Signal RanksOnOneHost = new("ranks_on_one_host", FailureCategory.Unknown, CausalRole.Context, 0);
    public static readonly Signal P2pTransport = new("nccl_p2p_transport", FailureCategory.P2pHang, CausalRole.Context, 0);
    public static readonly Signal NetTransport = new("nccl_net_transport", FailureCategory.Unknown, CausalRole.Context, 0);
    public static readonly Signal Xid = new("gpu_xid", FailureCategory.GpuXid, Init, 0.9);
    public static readonly Signal GpuOffBus = new("gpu_fallen_off_bus", FailureCategory.GpuXid, Init, 0.95);
    public static readonly Signal EccUncorrectable = new("cuda_uncorrectable_ecc", FailureCategory.EccUncorrectable, Init, 0.95);
    public static readonly Signal SoftLockup = new("cpu_soft_lockup", FailureCategory.CpuSoftLockup, Init, 0.75);
    public static readonly Signal RcuStall = new("rcu_stall", FailureCategory.CpuSoftLockup, Init, 0.6);
    public static readonly Signal HungTask = new("hung_task", FailureCategory.HungTask, Init, 0.7);
    public static readonly Signal NcclSegfault = new("segfault_in_libnccl", FailureCategory.CodeBug, Init, 0.7);
    public static readonly Signal Segfault = new("segfault", FailureCategory.CodeBug, Init, 0.55);
    public static readonly Signal DeviceAssert = new("cuda_device_assert", FailureCategory.CodeBug, Init, 0.85);
    public static readonly Signal IllegalAccess = new("cuda_illegal_memory_access", FailureCategory.CodeBug, Init, 0.55);
    public static readonly Signal CudaErrorOther = new("cuda_error", FailureCategory.Unknown, Cascade, 0.3);
    public static readonly Signal NcclDuplicateGpu = new("nccl_duplicate_gpu", FailureCategory.CodeBug, Init, 0.9);
    public static readonly Signal NcclInvalidUsage = new("nccl_invalid_usage", FailureCategory.CodeBug, Init, 0.65);
    public static readonly Signal NcclError = new("nccl_error", FailureCategory.Unknown, Cascade, 0.3);

    // "unhandled system error" / ncclSystemError with no named cause: in containers the usual one is a /dev/shm too small
    // for NCCL's shared-memory transport (NCCL's troubleshooting guide: --shm-size, --ipc=host); a bridge interface seen
    // in the same logs outranks it.
    public static readonly Signal NcclSystemError = new("nccl_system_error", FailureCategory.ShmExhausted, Cascade, 0.3);
    // "remote process exited or there was a network error": with no crashed peer in the logs given, the network is the lead.
    public static readonly Signal NcclRemoteError = new("nccl_remote_error", FailureCategory.SocketNetworkError, Cascade, 0.3);
    public static readonly Signal NcclWarn = new("nccl_warn", FailureCategory.Unknown, CausalRole.Context, 0.2);
    public static readonly Signal PythonException = new("python_exception", FailureCategory.CodeBug, Init, 0.7);
    public static readonly Signal ChildFailed = new("torchrun_child_failed", FailureCategory.Unknown, Cascade, 0.2);
    public static readonly Signal StepFailure = new("run_step_failure", FailureCategory.Unknown, Init, 0.5);
}
