using System.Text.Json.Nodes;

namespace CclAgent.Testing;

/// <summary>
/// Loopback model servers that call tools over a real protocol: a script (request n gets step n; the last step
/// repeats), one that never stops calling tools (each call with a fresh page number, so none is a repeat), and
/// failing ones (HTTP 500, a body that is not JSON). Start them with <c>sequential: true</c> so request order is reply order.
/// </summary>
public static class ScriptedToolModel
{
    public static LoopbackServer Script(ChatProtocol protocol, params ScriptedStep[] steps)
    {
        ArgumentOutOfRangeException.ThrowIfZero(steps.Length);
        int served = 0;
        return new LoopbackServer(
            (request, response, ct) =>
            {
                int round = Interlocked.Increment(ref served);
                return ToolProtocols.ReplyAsync(protocol, request, response, steps[Math.Min(round, steps.Length) - 1], round, ct);
            },
            sequential: true);
    }

    public static LoopbackServer Endless(ChatProtocol protocol, string tool)
    {
        int served = 0;
        return new LoopbackServer(
            (request, response, ct) =>
            {
                int round = Interlocked.Increment(ref served);
                string arguments = new JsonObject { ["page"] = round }.ToJsonString();
                return ToolProtocols.ReplyAsync(protocol, request, response, ScriptedStep.Call(tool, arguments), round, ct);
            },
            sequential: true);
    }

    public static LoopbackServer Http500() => new((request, response, ct) => ChatProtocols.ErrorAsync(response, 500, ct), sequential: true);

    public static LoopbackServer InvalidJson() => new((request, response, ct) => ToolProtocols.InvalidJsonAsync(response, ct), sequential: true);

    /// <summary>Answers the first request with <paramref name="first"/>, then fails every later one with HTTP <paramref name="status"/>.</summary>
    public static LoopbackServer FailAfterFirst(ChatProtocol protocol, ScriptedStep first, int status = 500)
    {
        int served = 0;
        return new LoopbackServer(
            (request, response, ct) => Interlocked.Increment(ref served) == 1
                ? ToolProtocols.ReplyAsync(protocol, request, response, first, 1, ct)
                : ChatProtocols.ErrorAsync(response, status, ct),
            sequential: true);
    }
}
