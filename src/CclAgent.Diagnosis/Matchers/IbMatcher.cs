using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// InfiniBand/RoCE work-completion errors in every spelling they are pasted in: NCCL's old
/// <c>with error 12, opcode 0, len 0, vendor err 129</c> (with or without <c>from peer …</c>), the 2.12+
/// <c>with status=12 opcode=129 len=65536 vendor err 129 (Recv) localGid … hca mlx5_10</c>, the newest
/// <c>with status=IBV_WC_RETRY_EXC_ERR(12) opcode=…(129) vendor_err=129 … hca mlx5_0</c>, plugin prefixes
/// (<c>NET/IBP:</c>, <c>NET/IB/GIN:</c>); UCX's <c>Local protection on mlx5_0:1/IB (synd 0x4 vend 0x51 …)</c>; the
/// mlx5 kernel driver's <c>mlx5_poll_one: syndrome 0x5, vendor syndrome 0xf9</c>; perftest's <c>Failed status 4: wr_id 0
/// syndrom 0x51</c>; NCCL's <c>Call to ibv_poll_cq() returned -1</c> (the completion queue itself failed). Status 5 (flush) only follows an earlier error. Also port events (<c>Got async event : port error</c>,
/// also with the device named first), which mean a flapping link.
/// </summary>
internal sealed partial class IbMatcher() : LineMatcher("NET/IB", "synd", "Failed status", "ibv_poll_cq", "Call to ibv_")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        // Every "NCCL INFO … via NET/IB" channel line carries the keyword; none of them is an error.
        if (!line.Contains("Got ", StringComparison.Ordinal) && !line.Contains("synd", StringComparison.OrdinalIgnoreCase) && !line.Contains("Failed status", StringComparison.OrdinalIgnoreCase)
            && !line.Contains("ibv_poll_cq", StringComparison.Ordinal) && !line.Contains("Call to ibv_", StringComparison.Ordinal))
        {
            return false;
        }

        if (VerbsCall().Match(line) is { Success: true } call && !line.Contains("ibv_poll_cq", StringComparison.Ordinal))
        {
            sink.Add(Signals.IbVerbsCall, context, line, Facts(call, "call", "error"));
            return true;
        }

        if (PollCq().Match(line) is { Success: true } poll)
        {
            sink.Add(Signals.IbPollCq, context, line, Facts(poll, "rc"));
            return true;
        }

        if (Nccl().Match(line) is { Success: true } nccl)
        {
            Report(nccl, nccl.Groups["status"].Value, line, context, sink, "peer", "opcode", "len", "vendor_err", "direction", "hca");
            return true;
        }

        if (Ucx().Match(line) is { Success: true } ucx)
        {
            Report(ucx, IbStatus.FromMlx5Syndrome(ucx.Groups["synd"].Value), line, context, sink, "hca", "vendor_err");
            return true;
        }

        if (Mlx5Kernel().Match(line) is { Success: true } kernel)
        {
            Report(kernel, IbStatus.FromMlx5Syndrome(kernel.Groups["synd"].Value), line, context, sink, "hca", "vendor_err");
            return true;
        }

        if (Perftest().Match(line) is { Success: true } perftest)
        {
            Report(perftest, perftest.Groups["status"].Value, line, context, sink, "vendor_err");
            return true;
        }

        if (AsyncEvent().Match(line) is { Success: true } async)
        {
            sink.Add(Signals.IbAsyncEvent, context, line, Facts(async, "event", "hca"));
            return true;
        }

        return false;
    }

    private static void Report(Match match, string status, string line, LineContext context, EvidenceSink sink, params string[] groups)
    {
        Dictionary<string, string> facts = Facts(match, groups);
        facts["status"] = status;
        facts["status_name"] = IbStatus.Name(status);
        facts["meaning"] = IbStatus.Meaning(status);
        if (facts.TryGetValue("vendor_err", out string? vendor) && vendor.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(vendor.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int decimalVendor))
        {
            // NCCL prints the vendor error in decimal (129), UCX and the driver in hex (0x81): one spelling for both.
            facts["vendor_err"] = decimalVendor.ToString(CultureInfo.InvariantCulture);
            facts["vendor_err_hex"] = vendor.ToLowerInvariant();
        }

        Signal signal = status == IbStatus.Flush ? Signals.IbFlush : Signals.IbCompletion;
        sink.Add(signal, context, line, facts, variant: status);
    }

    [GeneratedRegex(@"NET/IB\w*(?:/\w+)?\s*:\s*Got completion(?: from peer\s*(?<peer>\S+?)?)?\s*with\s+(?:error (?<status>\d+), opcode (?<opcode>\d+), len (?<len>\d+), vendor err (?<vendor_err>\d+)|status=(?:IBV_WC_\w+\((?<status>\d+)\)|(?<status>\d+))\s+opcode=(?:\w+\((?<opcode>\d+)\)|(?<opcode>\d+))(?:\s+len=(?<len>\d+))?(?:\s+reqSize=\d+)?\s+vendor[ _]err[ =](?<vendor_err>(?:0x)?[0-9a-fA-F]+))(?:\s*\((?<direction>Send|Recv)\))?(?:.*?\bhca (?<hca>[\w.-]+))?")]
    private static partial Regex Nccl();

    [GeneratedRegex(@"ib_mlx5_log\.c:\d+\s+.+? on (?<hca>mlx5_\w+:\d+)/\w+ \(synd (?<synd>0x[0-9a-fA-F]+) vend (?<vendor_err>0x[0-9a-fA-F]+)")]
    private static partial Regex Ucx();

    [GeneratedRegex(@"infiniband (?<hca>\S+): mlx5_poll_one:\d+:\(pid \d+\): syndrome (?<synd>0x[0-9a-fA-F]+), vendor syndrome (?<vendor_err>0x[0-9a-fA-F]+)")]
    private static partial Regex Mlx5Kernel();

    [GeneratedRegex(@"Failed status (?<status>\d+): wr_id \d+ syndro?m?e? (?<vendor_err>0x[0-9a-fA-F]+)")]
    private static partial Regex Perftest();

    // NCCL's ibvwrap when setting up a connection fails: "Call to ibv_modify_qp failed with error No such device",
    // "… failed with 110 Connection timed out, on dev mlx5_0:1, curr state INIT, next state RTR", "Call to ibv_reg_mr_iova2
    // failed with error Cannot allocate memory" (the memlock limit).
    [GeneratedRegex(@"Call to (?<call>ibv_\w+?)(?:\(\))? failed(?: with (?:error )?(?<error>[^,]+))?")]
    private static partial Regex VerbsCall();

    // NCCL's ibvwrap: "Call to ibv_poll_cq() returned %d" when polling the completion queue itself fails.
    [GeneratedRegex(@"Call to ibv_poll_cq\(\) returned (?<rc>-?\d+)")]
    private static partial Regex PollCq();

    [GeneratedRegex(@"NET/IB\w*\s*:\s*(?:(?<hca>[\w.-]+:\d+)\s+)?Got async event\s*:\s*(?<event>.+)$")]
    private static partial Regex AsyncEvent();
}
