using System.Text.RegularExpressions;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// The interfaces NCCL says it uses (<c>NET/Socket : Using [0]docker0:172.17.0.1&lt;0&gt;</c>, <c>Bootstrap : Using
/// eth0:172.17.0.3&lt;0&gt;</c>, <c>OOB enp24s0np0:10.10.10.1&lt;0&gt;</c>), and which of them other nodes cannot reach:
/// container bridges and virtual links by name, Docker's default bridge network, loopback and link-local by address.
/// Bounded: a log names a handful of interfaces, however often it repeats them.
/// </summary>
internal sealed partial class NetworkInterfaces
{
    private const int MaxInterfaces = 8;
    private static readonly string[] VirtualPrefixes = ["docker", "veth", "virbr", "br-", "cni", "flannel", "cali", "lxcbr", "lo"];
    private readonly List<(string Name, string Address)> _seen = [];

    public bool Any => _seen.Count > 0;

    /// <summary>Records the interfaces a "Using …" line names; true when the line named one.</summary>
    public bool Observe(string line)
    {
        if (!UsingLine().IsMatch(line))
        {
            return false;
        }

        foreach (Match m in Interface().Matches(line))
        {
            (string, string) entry = (m.Groups["name"].Value, m.Groups["address"].Value);
            if (_seen.Count < MaxInterfaces && !_seen.Contains(entry))
            {
                _seen.Add(entry);
            }
        }

        return true;
    }

    /// <summary>Interfaces other nodes cannot reach, as <c>name:address</c>.</summary>
    public IEnumerable<string> Unroutable => _seen.Where(i => IsUnroutable(i.Name, i.Address)).Select(i => $"{i.Name}:{i.Address}");

    /// <summary>The first interface that looks like the node's real NIC, if NCCL named one.</summary>
    public string? RealNic => _seen.Where(i => !IsUnroutable(i.Name, i.Address)).Select(i => i.Name).FirstOrDefault();

    public string Describe() => string.Join(", ", _seen.Select(i => $"{i.Name}:{i.Address}"));

    /// <summary>
    /// Docker's default bridge network (172.17.0.0/16), loopback and link-local addresses: what a container on the
    /// bridge network or a host with no routable NIC offers NCCL.
    /// </summary>
    public static bool IsUnroutableAddress(string address) =>
        address.StartsWith("172.17.", StringComparison.Ordinal) || address.StartsWith("127.", StringComparison.Ordinal)
        || address.StartsWith("169.254.", StringComparison.Ordinal) || address.StartsWith("fe80:", StringComparison.OrdinalIgnoreCase) || address == "::1";

    /// <summary>True when the named interface is a container bridge or virtual link.</summary>
    public static bool IsVirtualName(string name) => VirtualPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    private static bool IsUnroutable(string name, string address) => IsVirtualName(name) || IsUnroutableAddress(address);

    [GeneratedRegex(@"(?:Bootstrap|NET/Socket|NET/IB|NET)\s*:\s*Using\b|\bOOB\s")]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"(?:\[\d+\]|\bOOB |Using (?:interface )?)(?<name>[A-Za-z][\w.@-]*):(?<address>[0-9a-fA-F][0-9a-fA-F.:]*(?:%\w+)?)<\d+>")]
    private static partial Regex Interface();
}
