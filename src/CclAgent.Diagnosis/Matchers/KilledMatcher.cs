using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// SIGKILL seen from user space: torchrun's <c>failed (exitcode: -9)</c>, <c>killed by signal: Killed</c>, a
/// bare <c>Killed</c> line (a Chinese-locale shell prints <c>已杀死</c>; also where the shell printed it after a progress bar: <c>…1.28it/s]Killed</c>), exit status 137. These confirm an OOM-killer line; alone they prove no cause.
/// </summary>
internal sealed partial class KilledMatcher() : LineMatcher("Killed", "exit", "SIGKILL", "已杀死")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match match = Pattern().Match(line);
        if (!match.Success)
        {
            return false;
        }

        sink.Add(Signals.ProcessKilled, context, line, Facts(match, "local_rank", "pid"));
        return true;
    }

    [GeneratedRegex(@"exitcode: -9\b(?:\) local_rank: (?<local_rank>\d+) \(pid: (?<pid>\d+)\))?|killed by signal: Killed|(?:^|[\]|\r])\s*(?:Killed|已杀死)\s*$|exit(?:ed with)? (?:code|status):? 137\b|Signals\.SIGKILL")]
    private static partial Regex Pattern();
}
