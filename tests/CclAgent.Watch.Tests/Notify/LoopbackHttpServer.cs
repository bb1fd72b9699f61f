using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CclAgent.Watch.Tests.Notify;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) that records request lines and bodies and answers with a
/// scripted status after a scripted delay.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, (int Status, TimeSpan Delay)> _script;
    private readonly Task _loop;
    private int _requests;

    public LoopbackHttpServer(Func<int, (int Status, TimeSpan Delay)>? script = null)
    {
        _script = script ?? (_ => (200, TimeSpan.Zero));
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public List<(string RequestLine, string Body)> Received { get; } = [];

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A port with nothing listening: connections are refused.</summary>
    public static Uri DeadUrl()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/hook");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                (string requestLine, string body) = await ReadRequestAsync(stream);
                int n = Interlocked.Increment(ref _requests);
                lock (Received)
                {
                    Received.Add((requestLine, body));
                }

                (int status, TimeSpan delay) = _script(n);
                await Task.Delay(delay, _stop.Token);
                byte[] response = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(response, _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // The client gave up (timeout) or the server is stopping.
            }
        }
    }

    private static async Task<(string RequestLine, string Body)> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(buffer)) < 0)
        {
            int read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                throw new IOException("closed");
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        string head = Encoding.ASCII.GetString(buffer.ToArray(), 0, headerEnd);
        string[] lines = head.Split("\r\n");
        int length = lines.Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)).Select(l => int.Parse(l[15..].Trim())).FirstOrDefault();
        while (buffer.Count < headerEnd + 4 + length)
        {
            int read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                break;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        return (lines[0], Encoding.UTF8.GetString(buffer.ToArray(), headerEnd + 4, Math.Min(length, buffer.Count - headerEnd - 4)));
    }

    private static int IndexOfHeaderEnd(List<byte> buffer)
    {
        for (int i = 3; i < buffer.Count; i++)
        {
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n')
            {
                return i - 3;
            }
        }

        return -1;
    }
}
