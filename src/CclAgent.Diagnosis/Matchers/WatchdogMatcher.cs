using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// PyTorch ProcessGroupNCCL watchdog, in each release's wording: <c>Watchdog caught collective operation timeout:
/// WorkNCCL(SeqNum=1580, OpType=ALLREDUCE, …, Timeout(ms)=600000) ran for 600060 milliseconds</c>; the status
/// lines with <c>last enqueued NCCL work: 1582, last completed NCCL work: 1579</c> (old) and <c>failure detected
/// by watchdog at work sequence id: 7219 PG status: last enqueued work: 7219</c> (new), whose "last enqueued"
/// per rank finds the straggler; and the heartbeat monitor's <c>watchdog got stuck for 480 seconds</c>.
/// </summary>
internal sealed partial class WatchdogMatcher() : LineMatcher("watchdog", "collective operation timeout", "NCCL timeout")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match timeout = Timeout().Match(line);
        if (timeout.Success)
        {
            sink.Add(Signals.WatchdogTimeout, context, line, WithRank(line, Facts(timeout, "seq_num", "op_type", "numel_in", "timeout_ms", "ran_ms")));
            return true;
        }

        Match status = Status().Match(line);
        if (status.Success)
        {
            Dictionary<string, string> facts = WithRank(line, Facts(status, "seq_num", "last_enqueued", "last_completed"));
            if (facts.TryGetValue("rank", out string? rank) && facts.TryGetValue("last_enqueued", out string? enqueued))
            {
                sink.RecordLastEnqueued(int.Parse(rank, CultureInfo.InvariantCulture), long.Parse(enqueued, CultureInfo.InvariantCulture));
            }

            sink.Add(Signals.WatchdogStatus, context, line, facts);
            return true;
        }

        Match heartbeat = Heartbeat().Match(line);
        if (heartbeat.Success)
        {
            sink.Add(Signals.WatchdogHeartbeat, context, line, Facts(heartbeat, "seconds"));
            return true;
        }

        if (Loose().IsMatch(line))
        {
            sink.Add(Signals.WatchdogTimeout, context, line, WithRank(line, []));
            return true;
        }

        return false;
    }

    private static Dictionary<string, string> WithRank(string line, Dictionary<string, string> facts)
    {
        Match rank = Rank().Match(line);
        if (rank.Success)
        {
            facts["rank"] = rank.Groups["rank"].Value;
        }

        Match pg = ProcessGroup().Match(line);
        if (pg.Success)
        {
            facts["process_group"] = pg.Groups["pg"].Value;
        }

        return facts;
    }

    [GeneratedRegex(@"Watchdog caught collective operation timeout: WorkNCCL\(SeqNum=(?<seq_num>\d+), OpType=(?<op_type>\w+)(?:, NumelIn=(?<numel_in>\d+), NumelOut=\d+)?, Timeout\(ms\)=(?<timeout_ms>\d+)\) ran for (?<ran_ms>\d+) milliseconds")]
    private static partial Regex Timeout();

    [GeneratedRegex(@"detected by watchdog at work: (?<seq_num>\d+), last enqueued NCCL work: (?<last_enqueued>\d+), last completed NCCL work: (?<last_completed>-?\d+)|failure detected by watchdog at work sequence id: (?<seq_num>\d+) PG status: last enqueued work: (?<last_enqueued>\d+), last completed work: (?<last_completed>-?\d+)")]
    private static partial Regex Status();

    [GeneratedRegex(@"watchdog got stuck for (?<seconds>\d+) seconds")]
    private static partial Regex Heartbeat();

    [GeneratedRegex(@"watchdog (?:caught|detected|timeout|thread terminated)|collective operation timeout|NCCL timeout", RegexOptions.IgnoreCase)]
    private static partial Regex Loose();

    [GeneratedRegex(@"\[(?:PG [^\]]*?)?Rank (?<rank>\d+)\]|^\[rank(?<rank>\d+)\]")]
    private static partial Regex Rank();

    [GeneratedRegex(@"\[PG (?:ID )?(?<pg>\d+)")]
    private static partial Regex ProcessGroup();
}
