using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// NCCL socket errors from misc/socket.cc: failed connects (<c>socketStartConnect: Connect to 10.0.0.2&lt;45763&gt; failed</c>,
/// <c>socketPollConnect: … returned 113(No route to host)</c>) start a failure; <c>Connection closed by remote peer</c>
/// is what a rank sees when its peer died, so it is a cascade.
/// </summary>
internal sealed partial class SocketMatcher() : LineMatcher("socket", "NET/Socket", "Connection closed by remote peer")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match closed = Closed().Match(line);
        if (closed.Success)
        {
            sink.Add(Signals.SocketClosed, context, line, Facts(closed, "peer"));
            return true;
        }

        Match connect = Connect().Match(line);
        if (connect.Success)
        {
            sink.Add(Signals.SocketConnect, context, line, Facts(connect, "function", "peer", "reason"));
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"Connection closed by remote peer\s*(?<peer>\S+)?")]
    private static partial Regex Closed();

    [GeneratedRegex(@"(?<function>socket\w*Connect\w*|socketProgress\w*|socketAccept\w*|socketFinalizeAccept|NET/Socket)\s*:\s*(?:Connect to (?<peer>\S+) )?(?<reason>(?:failed|returned|Call to|Connect|Connection|timed out|No route|Network is unreachable).*)$")]
    private static partial Regex Connect();
}
