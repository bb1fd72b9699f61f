using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// The Linux OOM killer: <c>… invoked oom-killer: gfp_mask=…</c>, the cgroup line
/// <c>oom-kill:constraint=CONSTRAINT_MEMCG,…,task=…,pid=…</c> and <c>Out of memory: Killed process 410126 (python) total-vm:…kB, anon-rss:…kB</c>;
/// and the kernel's memory report that comes with them (<c>Node 0 Normal free:40804kB min:41320kB …</c>, <c>Free swap  = 0kB</c>),
/// which is often all a syslog excerpt keeps (dask/distributed#6110).
/// </summary>
internal sealed partial class HostOomMatcher() : LineMatcher("oom-kill", "Out of memory: Kill", "out of memory: Kill", "kB min:", "Free swap")
{
    private bool _reportSeen;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        if (TryMemoryReport(line, context, sink))
        {
            return true;
        }

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

    /// <summary>One report per source: every zone line of it says the same thing.</summary>
    private bool TryMemoryReport(string line, LineContext context, EvidenceSink sink)
    {
        Match zone = line.Contains("kB min:", StringComparison.Ordinal) ? Zone().Match(line) : Match.Empty;
        bool belowMin = zone.Success && long.Parse(zone.Groups["free"].Value, System.Globalization.CultureInfo.InvariantCulture) < long.Parse(zone.Groups["min"].Value, System.Globalization.CultureInfo.InvariantCulture);
        bool noSwap = !zone.Success && NoSwap().IsMatch(line);
        if (!belowMin && !noSwap)
        {
            return zone.Success;
        }

        if (!_reportSeen)
        {
            _reportSeen = true;
            sink.Add(Signals.HostMemoryExhausted, context, line, belowMin ? Facts(zone, "zone", "free", "min") : new Dictionary<string, string> { ["free_swap_kb"] = "0" });
        }

        return true;
    }

    [GeneratedRegex(@"Node \d+ (?<zone>\w+) free:(?<free>\d+)kB min:(?<min>\d+)kB")]
    private static partial Regex Zone();

    [GeneratedRegex(@"Free swap\s*=\s*0kB")]
    private static partial Regex NoSwap();

    [GeneratedRegex(@"(?:Memory cgroup )?[Oo]ut of memory: Kill(?:ed)? process (?<pid>\d+) \((?<process>[^)]*)\)(?: total-vm:(?<total_vm_kb>\d+)kB, anon-rss:(?<anon_rss_kb>\d+)kB)?")]
    private static partial Regex KilledProcess();

    [GeneratedRegex(@"oom-kill:constraint=(?<constraint>\w+).*?task=(?<process>[^,]+),pid=(?<pid>\d+)")]
    private static partial Regex CgroupKill();

    [GeneratedRegex(@"(?<process>\S+) invoked oom-killer:")]
    private static partial Regex Invoked();
}
