using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// The Linux OOM killer: <c>… invoked oom-killer: gfp_mask=…</c>, the cgroup line
/// <c>oom-kill:constraint=CONSTRAINT_MEMCG,…,task=…,pid=…</c> and <c>Out of memory: Killed process 410126 (python) total-vm:…kB, anon-rss:…kB</c>.
/// </summary>
internal sealed partial class HostOomMatcher() : LineMatcher("oom-kill", "Out of memory: Kill", "out of memory: Kill")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match killed = KilledProcess().Match(line);
        if (killed.Success)
        {
            sink.Add(Signals.HostOomKill, context, line, Facts(killed, "pid", "process", "total_vm_kb", "anon_rss_kb", "constraint"));
            return true;
        }

        Match cgroup = CgroupKill().Match(line);
        if (cgroup.Success)
        {
            sink.Add(Signals.HostOomKill, context, line, Facts(cgroup, "constraint", "process", "pid"));
            return true;
        }

        Match invoked = Invoked().Match(line);
        if (invoked.Success)
        {
            sink.Add(Signals.HostOomInvoked, context, line, Facts(invoked, "process"));
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"(?:Memory cgroup )?[Oo]ut of memory: Kill(?:ed)? process (?<pid>\d+) \((?<process>[^)]*)\)(?: total-vm:(?<total_vm_kb>\d+)kB, anon-rss:(?<anon_rss_kb>\d+)kB)?")]
    private static partial Regex KilledProcess();

    [GeneratedRegex(@"oom-kill:constraint=(?<constraint>\w+).*?task=(?<process>[^,]+),pid=(?<pid>\d+)")]
    private static partial Regex CgroupKill();

    [GeneratedRegex(@"(?<process>\S+) invoked oom-killer:")]
    private static partial Regex Invoked();
}
