namespace CclAgent.Diagnosis.Classification;

/// <summary>The root-cause categories, spelled as they appear in the JSON report and in tune's avoid-rules.</summary>
public static class FailureCategory
{
    public const string NanOrInf = "nan_or_inf";
    public const string LrTooHigh = "lr_too_high";
    public const string Fp16Overflow = "fp16_overflow";
    public const string CodeBug = "code_bug";
    public const string CudaOom = "cuda_oom";
    public const string HostOom = "host_oom";
    public const string NcclTimeout = "nccl_timeout";
    public const string IbNetworkError = "ib_network_error";
    public const string SocketNetworkError = "socket_network_error";
    public const string BootstrapInterface = "bootstrap_interface";
    public const string ShmExhausted = "shm_exhausted";
    public const string P2pHang = "p2p_hang";
    public const string GpuXid = "gpu_xid";
    public const string EccUncorrectable = "ecc_uncorrectable";
    public const string CpuSoftLockup = "cpu_soft_lockup";
    public const string HungTask = "hung_task";
    public const string Unknown = "unknown";

    public static IReadOnlyList<string> All { get; } =
    [
        NanOrInf, LrTooHigh, Fp16Overflow, CodeBug, CudaOom, HostOom, NcclTimeout, IbNetworkError, SocketNetworkError,
        BootstrapInterface, ShmExhausted, P2pHang, GpuXid, EccUncorrectable, CpuSoftLockup, HungTask, Unknown,
    ];

    /// <summary>Failure domain of a category: who has to act (the job's owner or the cluster's operator).</summary>
    public static string DomainOf(string category) => category switch
    {
        NanOrInf or LrTooHigh or Fp16Overflow or CodeBug or CudaOom or HostOom => FailureDomain.Workload,
        NcclTimeout or Unknown => FailureDomain.Unknown,
        _ => FailureDomain.Infrastructure,
    };

    /// <summary>
    /// Faults that kill a rank. When one is present, the network errors its peers log (connection closed,
    /// IB retry exceeded, watchdog timeouts) are read as its consequences.
    /// </summary>
    public static bool KillsRank(string category) =>
        category is CudaOom or HostOom or CodeBug or GpuXid or EccUncorrectable or ShmExhausted;
}
