using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Peer-to-peer transport trouble: IOMMU faults in the kernel log (AMD-Vi <c>IO_PAGE_FAULT</c>, Intel
/// <c>DMAR: [DMA Read] Request device [41:00.0] fault addr</c>), NCCL warnings about P2P/IPC and peer access,
/// and, as context, which transports NCCL chose (<c>via P2P/IPC</c> versus <c>via NET/IB</c>): a hang with only
/// P2P in use points at PCIe ACS/IOMMU.
/// </summary>
internal sealed partial class P2pMatcher() : LineMatcher("IO_PAGE_FAULT", "DMAR", "P2P", "peer access", "via NET", "via SHM", "cudaIpc", "nGpus", "Avg bus bandwidth")
{
    private bool _p2pSeen;
    private bool _netSeen;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        // NCCL's channel lines are the common case here; they never carry an IOMMU fault.
        Match iommu = line.Contains("IO_PAGE_FAULT", StringComparison.Ordinal) || line.Contains("DMAR", StringComparison.Ordinal) ? Iommu().Match(line) : Match.Empty;
        if (iommu.Success)
        {
            sink.Add(Signals.IommuFault, context, line, Facts(iommu, "device"));
            return true;
        }

        if (Transport().Match(line) is { Success: true } transport)
        {
            bool isNet = transport.Groups["kind"].Value.StartsWith("NET", StringComparison.Ordinal);
            if (isNet ? !_netSeen : !_p2pSeen)
            {
                sink.Add(isNet ? Signals.NetTransport : Signals.P2pTransport, context, line, new Dictionary<string, string> { ["transport"] = transport.Groups["kind"].Value });
            }

            _netSeen |= isNet;
            _p2pSeen |= !isNet;
            return true;
        }

        // nccl-tests printed its summary: whatever else the log says, the collectives did not hang.
        if (line.StartsWith("# Avg bus bandwidth", StringComparison.Ordinal))
        {
            sink.Add(Signals.RunCompleted, context, line);
            return true;
        }

        // nccl-tests' header: one process driving several GPUs ("-g 4") never leaves the node.
        if (!_p2pSeen && !_netSeen && NcclTestsGpus().Match(line) is { Success: true } gpus && int.Parse(gpus.Groups["gpus"].Value, System.Globalization.CultureInfo.InvariantCulture) > 1)
        {
            sink.Add(Signals.P2pTransport, context, line, new Dictionary<string, string> { ["transport"] = "one process, " + gpus.Groups["gpus"].Value + " GPUs" });
            _p2pSeen = true;
            return true;
        }

        if (line.Contains("NCCL WARN", StringComparison.Ordinal) && P2pWarn().IsMatch(line))
        {
            sink.Add(Signals.P2pError, context, line);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"IO_PAGE_FAULT|DMAR: \[DMA (?:Read|Write)[^\]]*\] Request device \[(?<device>[^\]]+)\] fault addr|DMAR: DRHD: handling fault status")]
    private static partial Regex Iommu();

    [GeneratedRegex(@"NCCL INFO Channel \d+(?:/\d+)? : .* via (?<kind>P2P/\S+|NET/\S+|SHM\S*)")]
    private static partial Regex Transport();

    [GeneratedRegex(@"^# nThread \d+ nGpus (?<gpus>\d+) ")]
    private static partial Regex NcclTestsGpus();

    [GeneratedRegex(@"P2P|peer access|cudaIpc|PeerAccess", RegexOptions.IgnoreCase)]
    private static partial Regex P2pWarn();
}
