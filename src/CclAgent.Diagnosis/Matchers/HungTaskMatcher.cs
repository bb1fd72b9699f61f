using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>Hung tasks: <c>INFO: task jfsmount:136986 blocked for more than 120 seconds.</c></summary>
internal sealed partial class HungTaskMatcher() : LineMatcher("blocked for more than")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match match = Pattern().Match(line);
        if (!match.Success)
        {
            return false;
        }

        sink.Add(Signals.HungTask, context, line, Facts(match, "task", "pid", "seconds"));
        return true;
    }

    [GeneratedRegex(@"task (?<task>.+?):(?<pid>\d+) blocked for more than (?<seconds>\d+) seconds")]
    private static partial Regex Pattern();
}
