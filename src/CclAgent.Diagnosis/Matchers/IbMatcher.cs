using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// NCCL InfiniBand/RoCE errors in both formats: old <c>with error 12, opcode 0, len 0, vendor err 129</c>
/// and new <c>with status=12 opcode=129 len=65536 vendor err 129 (Recv) localGid … remoteGids … hca mlx5_10</c>;
/// status 5 (flush) only follows an earlier error. Also <c>Got async event : port error</c> (a flapping link).
/// </summary>
internal sealed partial class IbMatcher() : LineMatcher("NET/IB")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match completion = Completion().Match(line);
        if (completion.Success)
        {
            Dictionary<string, string> facts = Facts(completion, "peer", "status", "opcode", "len", "vendor_err", "direction", "hca");
            facts["status_name"] = StatusName(facts["status"]);
            facts["meaning"] = Meaning(facts["status"]);
            Signal signal = facts["status"] == "5" ? Signals.IbFlush : Signals.IbCompletion;
            sink.Add(signal, context, line, facts, variant: facts["status"]);
            return true;
        }

        Match async = AsyncEvent().Match(line);
        if (async.Success)
        {
            sink.Add(Signals.IbAsyncEvent, context, line, Facts(async, "event"));
            return true;
        }

        return false;
    }

    /// <summary>ibv_wc_status names for the codes NCCL users meet.</summary>
    private static string StatusName(string status) => status switch
    {
        "4" => "IBV_WC_LOC_PROT_ERR",
        "5" => "IBV_WC_WR_FLUSH_ERR",
        "10" => "IBV_WC_REM_ACCESS_ERR",
        "11" => "IBV_WC_REM_OP_ERR",
        "12" => "IBV_WC_RETRY_EXC_ERR",
        "13" => "IBV_WC_RNR_RETRY_EXC_ERR",
        _ => $"ibv_wc_status {status}",
    };

    private static string Meaning(string status) => status switch
    {
        "4" => "local protection error: a memory registration problem (GPUDirect RDMA / peermem)",
        "5" => "work request flushed: a consequence of an earlier error on the same queue pair",
        "12" => "transport retry counter exceeded: the two NICs cannot talk (link, routing, RoCE config) or the link is very lossy",
        "13" => "receiver-not-ready retries exceeded: the peer stopped posting receives (often the peer died)",
        _ => "InfiniBand work completion error",
    };

    [GeneratedRegex(@"NET/IB\s*:\s*Got completion from peer\s*(?<peer>\S+?)?\s*with (?:error (?<status>\d+), opcode (?<opcode>\d+), len (?<len>\d+), vendor err (?<vendor_err>\d+)|status=(?<status>\d+) opcode=(?<opcode>\d+) len=(?<len>\d+) vendor err (?<vendor_err>\d+))(?: \((?<direction>Send|Recv)\))?(?:.*?hca (?<hca>[\w.-]+))?")]
    private static partial Regex Completion();

    [GeneratedRegex(@"NET/IB\s*:\s*Got async event\s*:\s*(?<event>.+)$")]
    private static partial Regex AsyncEvent();
}
