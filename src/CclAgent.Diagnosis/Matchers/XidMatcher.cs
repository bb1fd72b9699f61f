using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Hardware;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// NVRM kernel messages: <c>NVRM: Xid (PCI:0000:9b:00): 119, pid=…, name=…, msg</c> (gpud's regex), and the
/// "fallen off the bus" report with no Xid, whose PCI address is on an earlier NVRM line.
/// </summary>
internal sealed partial class XidMatcher() : LineMatcher("NVRM")
{
    private string? _lastGpu;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match xid = XidLine().Match(line);
        if (xid.Success)
        {
            int code = int.Parse(xid.Groups["code"].Value, CultureInfo.InvariantCulture);
            XidEntry entry = XidCatalog.Lookup(code);
            Dictionary<string, string> facts = Facts(xid, "pci", "pid", "name");
            facts["xid"] = xid.Groups["code"].Value;
            facts["meaning"] = entry.Meaning;
            facts["nvidia_resolution"] = entry.NvidiaResolution;
            facts["action"] = entry.Action;
            sink.Add(Signals.Xid, context, line, facts, variant: xid.Groups["code"].Value, category: entry.Category, role: entry.Role, weight: entry.Weight, domain: entry.Domain);
            return true;
        }

        Match gpu = GpuLine().Match(line);
        if (gpu.Success)
        {
            _lastGpu = gpu.Groups["pci"].Value;
        }

        if (line.Contains("fallen off the bus", StringComparison.OrdinalIgnoreCase))
        {
            var facts = new Dictionary<string, string> { ["xid"] = "79", ["meaning"] = XidCatalog.Lookup(79).Meaning, ["action"] = XidCatalog.Lookup(79).Action };
            if (_lastGpu is not null)
            {
                facts["pci"] = _lastGpu;
            }

            sink.Add(Signals.GpuOffBus, context, line, facts);
            return true;
        }

        return gpu.Success;
    }

    [GeneratedRegex(@"NVRM: Xid \((?<pci>(?:PCI:)?[0-9a-fA-F:.]+)\).*?: (?<code>\d+),(?: pid=(?<pid>[^,]+),)?(?: name=(?<name>[^,]+),)?")]
    private static partial Regex XidLine();

    [GeneratedRegex(@"NVRM: The NVIDIA GPU (?<pci>[0-9a-fA-F:.]+)")]
    private static partial Regex GpuLine();
}
