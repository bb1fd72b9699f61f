using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Reports, once at the end of a source, that all of the job's ranks run on one host (see <see cref="RankPlacement"/>),
/// at the line that showed it: no other node takes part, so an interface other nodes cannot reach is not in the path.
/// Claims no line: the init lines it reads are also NCCL's context for other matchers.
/// </summary>
internal sealed class RankPlacementMatcher() : LineMatcher("nranks", " Pid ")
{
    private readonly RankPlacement _placement = new();
    private (long Line, string Text)? _witness;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        if (_placement.Observe(line) && _witness is null && _placement.SingleHost is not null)
        {
            _witness = (context.Line, line);
        }

        return false;
    }

    public override void Complete(LineContext context, EvidenceSink sink)
    {
        // A later line may have shown a second host; the verdict is the whole source's.
        if (_witness is not { } witness || _placement.SingleHost is not { } host)
        {
            return;
        }

        long end = context.Line;
        context.Line = witness.Line;
        var facts = new Dictionary<string, string> { ["host"] = host, ["ranks"] = _placement.Ranks.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        sink.Add(Signals.RanksOnOneHost, context, witness.Text, facts);
        context.Line = end;
    }
}
