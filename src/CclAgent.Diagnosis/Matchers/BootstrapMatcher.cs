using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Bootstrap and interface selection: NCCL's <c>bootstrap.cc:45 NCCL WARN Bootstrap : no socket interface found</c>,
/// <c>No usable listening interface found</c>, other <c>NCCL WARN Bootstrap</c> lines, and the c10d rendezvous
/// store that cannot be reached (<c>The client socket has failed to connect to [host]:29500</c>).
/// </summary>
internal sealed partial class BootstrapMatcher() : LineMatcher("Bootstrap", "NCCL_SOCKET_IFNAME", "listening interface", "client socket", "TCPStore", "DistStoreError")
{
    private string? _ifname;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match ifname = IfName().Match(line);
        if (ifname.Success)
        {
            _ifname = ifname.Groups["ifname"].Value;
            return false;
        }

        if (line.Contains("no socket interface found", StringComparison.OrdinalIgnoreCase) || line.Contains("No usable listening interface", StringComparison.OrdinalIgnoreCase))
        {
            sink.Add(Signals.BootstrapNoInterface, context, line, WithInterface([]));
            return true;
        }

        Match warn = BootstrapWarn().Match(line);
        if (warn.Success)
        {
            sink.Add(Signals.BootstrapError, context, line, WithInterface(Facts(warn, "message")));
            return true;
        }

        Match store = Rendezvous().Match(line);
        if (store.Success)
        {
            sink.Add(Signals.RendezvousConnect, context, line, Facts(store, "endpoint", "errno"));
            return true;
        }

        return false;
    }

    private Dictionary<string, string> WithInterface(Dictionary<string, string> facts)
    {
        if (_ifname is not null)
        {
            facts["nccl_socket_ifname"] = _ifname;
        }

        return facts;
    }

    [GeneratedRegex(@"NCCL_SOCKET_IFNAME set by environment to (?<ifname>\S+)")]
    private static partial Regex IfName();

    [GeneratedRegex(@"(?:bootstrap\.cc:\d+ )?NCCL WARN Bootstrap\s*:?\s*(?<message>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex BootstrapWarn();

    [GeneratedRegex(@"(?:client socket has failed to connect to|Failed to connect to|TCPStore\S*.*?(?:timed out|refused|failed)|DistStoreError:).*?(?<endpoint>\[?[\w.:-]+\]?:\d{2,5})?(?:.*?\(errno: (?<errno>\d+))?", RegexOptions.IgnoreCase)]
    private static partial Regex Rendezvous();
}
