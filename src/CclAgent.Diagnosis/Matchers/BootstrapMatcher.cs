using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Bootstrap and interface selection: NCCL's <c>bootstrap.cc:45 NCCL WARN Bootstrap : no socket interface found</c>,
/// <c>No usable listening interface found</c>, <c>No interface found in the same subnet as remote address …</c>, other
/// <c>NCCL WARN Bootstrap</c> lines, an <c>NCCL_SOCKET_IFNAME</c> that resolves to no address (<c>ncclSocketInit:
/// connecting to address  with family 59936 is neither AF_INET(2) nor AF_INET6(10)</c>), the c10d rendezvous store that
/// cannot be reached, and, in containers, NCCL using a bridge or virtual interface (<c>NET/Socket : Using
/// [0]docker0:172.17.0.1&lt;0&gt;</c>) or failing to connect to such an address (<c>socketStartConnect: Connect to
/// 172.17.0.2&lt;38847&gt; failed</c>): other nodes cannot reach it.
/// </summary>
internal sealed partial class BootstrapMatcher() : LineMatcher(
    "Bootstrap", "NCCL_SOCKET_IFNAME", "listening interface", "client socket", "TCPStore", "DistStoreError", "NET/Socket", "OOB ", "Using interface",
    "No interface found", "AF_INET", "Connect to", "Socket creation failed")
{
    private readonly NetworkInterfaces _interfaces = new();
    private readonly HashSet<string> _reportedUnroutable = [];
    private readonly HashSet<string> _reportedHosts = [];
    private string? _ifname;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match ifname = IfName().Match(line);
        if (ifname.Success)
        {
            _ifname = ifname.Groups["ifname"].Value;
            return false;
        }

        if (_interfaces.Observe(line))
        {
            ReportHost(line, context, sink);
            ReportUnroutable(line, context, sink);
            return true;
        }

        return TryFailure(line, context, sink);
    }

    private bool TryFailure(string line, LineContext context, EvidenceSink sink)
    {
        if (line.Contains("no socket interface found", StringComparison.OrdinalIgnoreCase) || line.Contains("No usable listening interface", StringComparison.OrdinalIgnoreCase))
        {
            sink.Add(Signals.BootstrapNoInterface, context, line, WithInterface([]));
            return true;
        }

        // The interface NCCL picked has an address family the container or kernel cannot open (an IPv6-only or
        // link-local address in a container without IPv6): no usable interface in practice (NVIDIA/nccl-tests#14).
        if (line.Contains("Socket creation failed", StringComparison.Ordinal) && line.Contains("Address family not supported", StringComparison.OrdinalIgnoreCase))
        {
            sink.Add(Signals.SocketFamilyUnsupported, context, line, WithInterface([]));
            return true;
        }

        if (line.Contains("is neither AF_INET", StringComparison.Ordinal))
        {
            sink.Add(Signals.SocketIfnameUnresolved, context, line, WithInterface([]));
            return true;
        }

        Match bridge = BridgeConnect().Match(line);
        if (bridge.Success && NetworkInterfaces.IsUnroutableAddress(bridge.Groups["address"].Value))
        {
            sink.Add(Signals.BridgeAddressConnect, context, line, WithInterface(Facts(bridge, "peer", "reason")));
            return true;
        }

        Match warn = BootstrapWarn().Match(line);
        if (warn.Success || line.Contains("No interface found in the same subnet", StringComparison.Ordinal))
        {
            sink.Add(Signals.BootstrapError, context, line, WithInterface(warn.Success ? Facts(warn, "message") : []));
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

    /// <summary>Each host that began NCCL's bootstrap, once: a log from a single host with nothing after init is a hang on that host.</summary>
    private void ReportHost(string line, LineContext context, EvidenceSink sink)
    {
        if (!line.Contains("Bootstrap", StringComparison.Ordinal) || NcclPrefix().Match(line) is not { Success: true } prefix)
        {
            return;
        }

        string host = prefix.Groups["host"].Value;
        if (_reportedHosts.Count < 64 && _reportedHosts.Add(host))
        {
            sink.Add(Signals.NcclBootstrapSeen, context, line, new Dictionary<string, string> { ["host"] = host }, variant: host);
        }
    }

    /// <summary>Each bridge/virtual interface NCCL chose is reported once; a real NIC on the same line is not evidence.</summary>
    private void ReportUnroutable(string line, LineContext context, EvidenceSink sink)
    {
        foreach (string unroutable in _interfaces.Unroutable.ToList())
        {
            if (_reportedUnroutable.Add(unroutable))
            {
                sink.Add(Signals.VirtualInterface, context, line, WithInterface(new Dictionary<string, string> { ["interface"] = unroutable }), variant: unroutable);
            }
        }
    }

    private Dictionary<string, string> WithInterface(Dictionary<string, string> facts)
    {
        if (_ifname is not null)
        {
            facts["nccl_socket_ifname"] = _ifname;
        }

        if (_interfaces.Any)
        {
            facts["interfaces_seen"] = _interfaces.Describe();
            string unroutable = string.Join(", ", _interfaces.Unroutable);
            if (unroutable.Length > 0)
            {
                facts["unroutable_interfaces"] = unroutable;
            }

            if (_interfaces.RealNic is { } real)
            {
                facts["real_nic"] = real;
            }
        }

        return facts;
    }

    [GeneratedRegex(@"^(?<host>[\w.-]+):\d+:\d+ \[\d+\] NCCL INFO")]
    private static partial Regex NcclPrefix();

    [GeneratedRegex(@"NCCL_SOCKET_IFNAME set by environment to (?<ifname>\S+)")]
    private static partial Regex IfName();

    [GeneratedRegex(@"(?:bootstrap\.cc:\d+ )?NCCL WARN Bootstrap\s*:?\s*(?<message>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex BootstrapWarn();

    [GeneratedRegex(@"Connect to (?<peer>(?<address>[0-9a-fA-F.:]+)<\d+>) (?<reason>(?:failed|returned).*)$")]
    private static partial Regex BridgeConnect();

    [GeneratedRegex(@"(?:client socket has failed to connect to|Failed to connect to|TCPStore\S*.*?(?:timed out|refused|failed)|DistStoreError:).*?(?<endpoint>\[?[\w.:-]+\]?:\d{2,5})?(?:.*?\(errno: (?<errno>\d+))?", RegexOptions.IgnoreCase)]
    private static partial Regex Rendezvous();
}
