using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>Kernel soft lockups (<c>watchdog: BUG: soft lockup - CPU#202 stuck for 22s! [python:7565]</c>, gpud's regex; the task may hold colons, <c>[kworker/u16:7:101418]</c>) and RCU stalls.</summary>
internal sealed partial class SoftLockupMatcher() : LineMatcher("soft lockup", "rcu_sched", "rcu_preempt", "rcu: INFO")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match lockup = Lockup().Match(line);
        if (lockup.Success)
        {
            sink.Add(Signals.SoftLockup, context, line, Facts(lockup, "cpu", "seconds", "task", "pid"));
            return true;
        }

        if (Rcu().IsMatch(line))
        {
            sink.Add(Signals.RcuStall, context, line);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"soft lockup - CPU#(?<cpu>\d+) stuck for (?<seconds>\d+)s! \[(?<task>[^\]]+):(?<pid>\d+)\]")]
    private static partial Regex Lockup();

    [GeneratedRegex(@"rcu_(?:sched|preempt) (?:self-)?detected stalls? on CPUs?|rcu: INFO: rcu_\w+ (?:self-)?detected stall")]
    private static partial Regex Rcu();
}
