using CclAgent.Diagnosis.Classification;

namespace CclAgent.Diagnosis.Hardware;

/// <summary>
/// The Xid codes that matter for training jobs (NVIDIA's Xid catalog as mirrored in gpud
/// xid/catalog_generated.go, with gpud's repair actions). Double-bit and uncontained memory errors map
/// to ecc_uncorrectable; Xid 45 is cleanup after an earlier Xid and 154 only reports a recovery action,
/// so neither can be a root cause.
/// </summary>
public static class XidCatalog
{
    private const string Xid = FailureCategory.GpuXid;
    private const string Ecc = FailureCategory.EccUncorrectable;
    private const string Init = CausalRole.Initiating;
    private const string Infra = FailureDomain.Infrastructure;

    private static readonly Dictionary<int, XidEntry> Entries = new XidEntry[]
    {
        new(13, "Graphics Engine Exception", "RESTART_APP / WORKFLOW_XID_13", "check the application (out-of-range access), then the GPU", Xid, Init, FailureDomain.Workload, 0.7, false),
        new(31, "GPU memory page fault (MMU)", "RESTART_APP / WORKFLOW_XID_31", "check the application (illegal address); inspect the hardware if it repeats", Xid, Init, FailureDomain.Workload, 0.7, false),
        new(43, "GPU stopped processing (software-induced fault)", "IGNORE / CONTACT_SUPPORT", "check the application", Xid, CausalRole.Cascade, FailureDomain.Workload, 0.4, false),
        new(45, "Preemptive cleanup after prior errors", "WORKFLOW_XID_45", "follow the earlier Xid", Xid, CausalRole.Cascade, Infra, 0.2, false),
        new(48, "Double-bit ECC error", "WORKFLOW_XID_48", "drain the node, reset the GPU, inspect the hardware", Ecc, Init, Infra, 0.97, true),
        new(61, "Internal micro-controller breakpoint/warning", "CONTACT_SUPPORT", "reboot the node", Xid, Init, Infra, 0.8, true),
        new(62, "Internal micro-controller halt", "RESET_GPU", "drain, reboot, inspect the hardware", Xid, Init, Infra, 0.9, true),
        new(63, "Row-remap / page-retirement event", "IGNORE", "reset the GPU at the next drain (gpud: reboot + inspection)", Ecc, CausalRole.Context, Infra, 0.3, false),
        new(64, "Row-remap / page-retirement failure", "RESET_GPU", "drain, reset the GPU, inspect the hardware", Ecc, Init, Infra, 0.93, true),
        new(74, "NVLink error", "WORKFLOW_NVLINK_ERR", "drain, reboot, inspect NVLink (nvidia-smi nvlink -s)", Xid, Init, Infra, 0.9, true),
        new(79, "GPU has fallen off the bus", "RESTART_BM", "drain, bare-metal restart; check PSU, power and thermals", Xid, Init, Infra, 0.97, true),
        new(92, "High single-bit ECC error rate", "IGNORE / CONTACT_SUPPORT", "watch the ECC counters", Ecc, CausalRole.Context, Infra, 0.2, false),
        new(94, "Contained memory error", "RESTART_APP", "restart the application; reboot when convenient", Ecc, Init, Infra, 0.8, false),
        new(95, "Uncontained memory error", "RESET_GPU", "reboot immediately (MIG off), inspect the hardware", Ecc, Init, Infra, 0.97, true),
        new(119, "GSP RPC timeout", "RESET_GPU", "drain, reset the GPU, inspect the hardware", Xid, Init, Infra, 0.9, true),
        new(120, "GSP error", "RESET_GPU / INVESTIGATE_SW", "drain, reset the GPU; check the driver", Xid, Init, Infra, 0.88, true),
        new(140, "Unrecovered ECC error", "RESET_GPU", "drain, reset the GPU, inspect the hardware", Ecc, Init, Infra, 0.95, true),
        new(144, "NVLink5 SAW error", "WORKFLOW_NVLINK5_ERR", "drain, inspect NVLink", Xid, Init, Infra, 0.88, true),
        new(145, "NVLink5 RLW error", "WORKFLOW_NVLINK5_ERR", "drain, inspect NVLink", Xid, Init, Infra, 0.88, true),
        new(149, "NVLink5 NETIR error", "WORKFLOW_NVLINK5_ERR", "drain, inspect NVLink", Xid, Init, Infra, 0.88, true),
        new(150, "NVLink5 MSE error", "WORKFLOW_NVLINK5_ERR", "drain, inspect NVLink", Xid, Init, Infra, 0.88, true),
        new(154, "GPU recovery action changed", "informational; points to another Xid", "follow the other Xid", Xid, CausalRole.Context, Infra, 0.2, false),
    }.ToDictionary(e => e.Code);

    public static IReadOnlyCollection<XidEntry> All => Entries.Values;

    /// <summary>The entry for a code; codes outside the table are treated as a GPU fault worth a look.</summary>
    public static XidEntry Lookup(int code) => Entries.TryGetValue(code, out XidEntry? entry)
        ? entry
        : new XidEntry(code, "Xid not in the table", "see NVIDIA's Xid catalog", "check nvidia-smi -q and the driver log; run dcgmi diag -r 2", Xid, Init, Infra, 0.6, false);
}
