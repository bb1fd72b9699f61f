using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Segmentation faults: the kernel's <c>python[1234]: segfault at 0 ip … sp … error 4 in libnccl.so.2[7f…+…]</c>
/// (a crash inside NCCL is reported separately, as gpud does), and Python's own <c>Fatal Python error: Segmentation fault</c>.
/// </summary>
internal sealed partial class SegfaultMatcher() : LineMatcher("segfault", "Segmentation fault")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match kernel = Kernel().Match(line);
        if (kernel.Success)
        {
            bool nccl = kernel.Groups["library"].Value.Contains("libnccl", StringComparison.Ordinal);
            sink.Add(nccl ? Signals.NcclSegfault : Signals.Segfault, context, line, Facts(kernel, "process", "pid", "address", "error", "library"));
            return true;
        }

        if (line.Contains("Segmentation fault", StringComparison.Ordinal))
        {
            sink.Add(line.Contains("libnccl", StringComparison.Ordinal) ? Signals.NcclSegfault : Signals.Segfault, context, line);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"(?<process>[^\s\[]+)\[(?<pid>\d+)\]: segfault at (?<address>[0-9a-fA-F]+) ip [0-9a-fA-F]+ sp [0-9a-fA-F]+ error (?<error>\d+)(?: in (?<library>[^\[\s]+))?")]
    private static partial Regex Kernel();
}
