using System.Globalization;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// ibv_wc_status codes (rdma-core verbs.h) and the mlx5 CQE syndromes the driver and UCX print instead, mapped the way
/// rdma-core's mlx5_handle_error_cqe maps them, so every spelling of one failure reads as the same status.
/// </summary>
internal static class IbStatus
{
    public const string LocalProtection = "4";
    public const string Flush = "5";
    public const string RetryExceeded = "12";
    public const string RnrRetryExceeded = "13";

    public static string Name(string status) => status switch
    {
        "1" => "IBV_WC_LOC_LEN_ERR",
        "2" => "IBV_WC_LOC_QP_OP_ERR",
        LocalProtection => "IBV_WC_LOC_PROT_ERR",
        Flush => "IBV_WC_WR_FLUSH_ERR",
        "6" => "IBV_WC_MW_BIND_ERR",
        "7" => "IBV_WC_BAD_RESP_ERR",
        "8" => "IBV_WC_LOC_ACCESS_ERR",
        "9" => "IBV_WC_REM_INV_REQ_ERR",
        "10" => "IBV_WC_REM_ACCESS_ERR",
        "11" => "IBV_WC_REM_OP_ERR",
        RetryExceeded => "IBV_WC_RETRY_EXC_ERR",
        RnrRetryExceeded => "IBV_WC_RNR_RETRY_EXC_ERR",
        "16" => "IBV_WC_REM_ABORT_ERR",
        _ => $"ibv_wc_status {status}",
    };

    public static string Meaning(string status) => status switch
    {
        LocalProtection => "local protection error: the NIC could not access registered memory; with GPUDirect RDMA usually PCIe ACS/IOMMU redirecting peer-to-peer traffic (NVIDIA/nccl#928)",
        Flush => "work request flushed: a consequence of an earlier error on the same queue pair",
        "9" or "10" or "11" => "the remote side rejected the request (remote access/operation error): check the peer's log",
        RetryExceeded => "transport retry counter exceeded: the two NICs cannot talk (link, routing, RoCE GID/VLAN/MTU) or the link is very lossy (NVIDIA/nccl#902)",
        RnrRetryExceeded => "receiver-not-ready retries exceeded: the peer stopped posting receives (often the peer died or stalled)",
        _ => "InfiniBand work completion error",
    };

    /// <summary>The ibv_wc_status for an mlx5 CQE syndrome (<c>synd 0x15</c> is a transport retry, status 12).</summary>
    public static string FromMlx5Syndrome(string syndrome)
    {
        int code = int.Parse(syndrome.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        int status = code switch
        {
            0x01 => 1,
            0x02 => 2,
            0x04 => 4,
            0x05 => 5,
            0x06 => 6,
            0x10 => 7,
            0x11 => 8,
            0x12 => 9,
            0x13 => 10,
            0x14 => 11,
            0x15 => 12,
            0x16 => 13,
            0x22 => 16,
            _ => 21,
        };
        return status.ToString(CultureInfo.InvariantCulture);
    }
}
