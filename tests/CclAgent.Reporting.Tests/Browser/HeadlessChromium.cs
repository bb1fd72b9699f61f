using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CclAgent.Reporting.Tests.Browser;

/// <summary>
/// Debian's chromium in headless mode, driven over the real Chrome DevTools Protocol (a WebSocket, JSON messages).
/// Disposing kills the whole process tree (the browser forks renderer, GPU and zygote processes).
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;
    private Task? _reader;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Events in arrival order (method and params), for the test to inspect after the page loaded.</summary>
    public List<JsonObject> Events { get; } = [];

    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "chromium")).FirstOrDefault(File.Exists);

    public static async Task<HeadlessChromium> StartAsync(string executable, CancellationToken cancellationToken)
    {
        string profile = Directory.CreateTempSubdirectory("ccl-chromium-").FullName;
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // --no-sandbox: CI containers run as root, where Chromium refuses its sandbox.
        foreach (string arg in new[] { "--headless=new", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "about:blank" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter();
            string url = await ReadDevToolsUrlAsync(process.StandardError, cancellationToken);
            await browser._socket.ConnectAsync(new Uri(url), cancellationToken);
            browser._reader = browser.ReadLoopAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> ReadDevToolsUrlAsync(StreamReader stderr, CancellationToken cancellationToken)
    {
        const string marker = "DevTools listening on ";
        while (await stderr.ReadLineAsync(cancellationToken) is string line)
        {
            int at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                // Keep draining stderr so the browser never blocks on a full pipe.
                _ = Task.Run(async () => { while (await stderr.ReadLineAsync(CancellationToken.None) is not null) { } }, CancellationToken.None);
                return line[(at + marker.Length)..].Trim();
            }
        }

        throw new InvalidOperationException("chromium exited before printing its DevTools URL");
    }

    /// <summary>Sends one command (to the page session when <paramref name="sessionId"/> is given) and waits for its result.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        var message = new JsonObject { ["id"] = Interlocked.Increment(ref _nextId), ["method"] = method, ["params"] = parameters ?? [] };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[(int)message["id"]!] = reply;
        }

        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        JsonObject result = await reply.Task.WaitAsync(cancellationToken);
        return result["error"] is JsonNode error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : (JsonObject)result["result"]!;
    }

    /// <summary>Waits for the next event named <paramref name="method"/>; every event seen on the way is kept in <see cref="Events"/>.</summary>
    public async Task<JsonObject> WaitForEventAsync(string method, CancellationToken cancellationToken)
    {
        while (true)
        {
            JsonObject e = await _events.Reader.ReadAsync(cancellationToken);
            Events.Add(e);
            if ((string?)e["method"] == method)
            {
                return e;
            }
        }
    }

    /// <summary>Moves every event already received into <see cref="Events"/>.</summary>
    public void DrainEvents()
    {
        while (_events.Reader.TryRead(out JsonObject? e))
        {
            Events.Add(e);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                WebSocketReceiveResult r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage)
                {
                    continue;
                }

                var node = (JsonObject)JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is JsonNode id)
                {
                    TaskCompletionSource<JsonObject>? reply;
                    lock (_pending)
                    {
                        _pending.Remove((int)id, out reply);
                    }

                    reply?.TrySetResult(node);
                }
                else
                {
                    await _events.Writer.WriteAsync(node);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The browser went away or we are disposing: pending commands fail below.
        }

        _events.Writer.TryComplete();
        lock (_pending)
        {
            foreach (TaskCompletionSource<JsonObject> p in _pending.Values)
            {
                p.TrySetException(new InvalidOperationException("chromium closed the DevTools connection"));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A child still writing its profile; the temp folder is cleaned eventually.
        }
    }
}
