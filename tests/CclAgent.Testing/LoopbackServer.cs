using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CclAgent.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 and an ephemeral port (HttpListener). Each request is recorded and
/// answered by the test's handler, so clients are exercised over real sockets and the real protocol.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<RecordedRequest, HttpListenerResponse, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _sequential;

    /// <param name="handler">Writes the response; the server closes it.</param>
    /// <param name="sequential">Handle one request at a time, in arrival order (for conversations whose request number matters).</param>
    public LoopbackServer(Func<RecordedRequest, HttpListenerResponse, CancellationToken, Task> handler, bool sequential = false)
    {
        _handler = handler;
        _sequential = sequential;
        (_listener, Port) = LoopbackPorts.ListenHttp();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A port that nothing listens on (bound, then released), for connection-refused tests.</summary>
    public static int ClosedPort() => LoopbackPorts.ClosedPort();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (_sequential)
            {
                await HandleAsync(context);
            }
            else
            {
                _ = Task.Run(() => HandleAsync(context));
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!.ToLowerInvariant(), k => context.Request.Headers[k] ?? string.Empty, StringComparer.Ordinal);
        var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body, context.Request.Headers["Authorization"], headers);
        Requests.Enqueue(request);
        try
        {
            await _handler(request, context.Response, _stop.Token);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away (timeout tests) or the server is stopping.
        }
        finally
        {
            try
            {
                context.Response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
