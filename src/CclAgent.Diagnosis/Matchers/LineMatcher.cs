using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// A matcher for one family of log lines. Its keywords guard the regular expressions: a line reaches
/// <see cref="TryMatch"/> only when one of them occurs in it, ignoring case (decided per line template by
/// <see cref="KeywordGate"/>). Matchers are created per source: some keep state across lines (tracebacks,
/// loss-scale history, the OOM killer's multi-line report).
/// </summary>
internal abstract class LineMatcher(params string[] keywords)
{
    public IReadOnlyList<string> Keywords { get; } = keywords;

    /// <summary>Reports evidence for the line; true when the line is claimed (later matchers skip it).</summary>
    public abstract bool TryMatch(string line, LineContext context, EvidenceSink sink);

    /// <summary>Called once at the end of the source, for matchers that judge a sequence of lines.</summary>
    public virtual void Complete(LineContext context, EvidenceSink sink)
    {
    }

    protected static Dictionary<string, string> Facts(Match match, params string[] groups)
    {
        var facts = new Dictionary<string, string>();
        foreach (string name in groups)
        {
            Group group = match.Groups[name];
            if (group.Success && group.Length > 0)
            {
                facts[name] = group.Value;
            }
        }

        return facts;
    }
}
