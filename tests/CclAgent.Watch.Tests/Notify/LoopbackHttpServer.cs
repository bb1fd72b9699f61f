using CclAgent.Testing;

namespace CclAgent.Watch.Tests.Notify;

/// <summary>
/// A notification endpoint on the shared <see cref="LoopbackServer"/>: records each request's line and body and
/// answers with a scripted status after a scripted delay (by request number), so notifiers are tested over real HTTP.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private int _requests;

    public LoopbackHttpServer(Func<int, (int Status, TimeSpan Delay)>? script = null)
    {
        Func<int, (int Status, TimeSpan Delay)> reply = script ?? (_ => (200, TimeSpan.Zero));
        _server = new LoopbackServer(async (request, response, ct) =>
        {
            (int status, TimeSpan delay) = reply(Interlocked.Increment(ref _requests));
            await Task.Delay(delay, ct);
            response.StatusCode = status;
        });
    }

    public Uri Url => new(_server.BaseUrl + "/");

    /// <summary>What arrived, as "METHOD /path HTTP/1.1" and the body, in arrival order.</summary>
    public List<(string RequestLine, string Body)> Received =>
        _server.Requests.Select(r => ($"{r.Method} {r.Path} HTTP/1.1", r.Body)).ToList();

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A port with nothing listening: connections are refused.</summary>
    public static Uri DeadUrl() => new($"http://127.0.0.1:{LoopbackServer.ClosedPort()}/hook");

    public ValueTask DisposeAsync()
    {
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}
