using CclAgent.Testing;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace CclAgent.Diagnosis.Tests.Support;

/// <summary>
/// A real Ollama-protocol server on 127.0.0.1 (a <see cref="LoopbackServer"/> handling requests in order): POST
/// /api/chat answered non-streamed or as NDJSON chunks with token counts. The test's script sees the
/// request number and the parsed messages and returns the reply, or throws to fail the request (HTTP 500),
/// which is how a broken context shows up in the client.
/// </summary>
internal sealed class OllamaLoopback : IDisposable
{
    public const int PromptTokens = ChatProtocols.OllamaPromptTokens;
    public const int ReplyTokens = ChatProtocols.OllamaReplyTokens;

    private readonly LoopbackServer _server;
    private readonly Func<int, IReadOnlyList<(string Role, string Content)>, string> _script;
    private readonly bool _streamed;
    private int _requests;

    public OllamaLoopback(bool streamed, Func<int, IReadOnlyList<(string Role, string Content)>, string> script)
    {
        _streamed = streamed;
        _script = script;

        // One at a time on purpose: a conversation is sequential, and the request number must be exact.
        _server = new LoopbackServer((request, response, _) => HandleAsync(request, response), sequential: true);
    }

    public int Port => _server.Port;

    public string BaseUrl => _server.BaseUrl;

    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Failures the script raised (a context check that did not hold), for the test to assert empty.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public static int ClosedPort() => LoopbackPorts.ClosedPort();

    private async Task HandleAsync(RecordedRequest request, HttpListenerResponse response)
    {
        int n = Interlocked.Increment(ref _requests);
        List<(string Role, string Content)> messages;
        using (JsonDocument doc = request.Json())
        {
            messages = doc.RootElement.GetProperty("messages").EnumerateArray()
                .Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString() ?? string.Empty)).ToList();
        }

        string content;
        try
        {
            content = _script(n, messages);
        }
        catch (InvalidOperationException ex)
        {
            Failures.Enqueue($"request {n}: {ex.Message}");
            await ChatProtocols.ErrorAsync(response, 500, CancellationToken.None);
            return;
        }

        await ChatProtocols.OllamaAsync(response, content, _streamed, CancellationToken.None);
    }

    public void Dispose() => _server.Dispose();
}
