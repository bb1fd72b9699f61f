using System.Threading.Channels;
using CclAgent.Core.Secrets;

namespace CclAgent.Watch.Notify;

/// <summary>
/// A bounded queue and one background sender. <see cref="Enqueue"/> never blocks: when the endpoint is slow or down
/// the oldest pending notifications are dropped (and counted), so following and parsing never stall. Each delivery is
/// retried with exponential backoff on connection errors, timeouts, 429 and 5xx.
/// </summary>
public sealed class Notifier : IAsyncDisposable
{
    private readonly IReadOnlyList<INotificationChannel> _channels;
    private readonly NotificationOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly Channel<Notification> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly Task _sender;
    private int _sent;
    private int _failed;
    private int _dropped;

    public Notifier(IReadOnlyList<INotificationChannel> channels, NotificationOptions options, TimeProvider time, Action<string> warn)
    {
        _channels = channels;
        _options = options;
        _time = time;
        _warn = warn;
        _queue = Channel.CreateBounded<Notification>(
            new BoundedChannelOptions(options.Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>Deliveries that succeeded (per channel).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Deliveries given up after all attempts.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Notifications dropped because the queue was full.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    /// <summary>Queues a notification without waiting.</summary>
    public void Enqueue(Notification notification) => _queue.Writer.TryWrite(notification);

    /// <summary>Stops accepting, gives pending deliveries up to <see cref="NotificationOptions.DrainTimeout"/>, then abandons the rest.</summary>
    public async Task DrainAsync()
    {
        _queue.Writer.TryComplete();
        using var deadline = new CancellationTokenSource(_options.DrainTimeout, _time);
        try
        {
            await _sender.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            await _stop.CancelAsync();
            int abandoned = 0;
            while (_queue.Reader.TryRead(out _))
            {
                abandoned++;
            }

            Interlocked.Add(ref _dropped, abandoned);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _sender;
        }
        catch (OperationCanceledException)
        {
            // Stopping: undelivered notifications are counted as dropped by DrainAsync.
        }

        _stop.Dispose();
    }

    private async Task SendLoopAsync()
    {
        await foreach (Notification notification in _queue.Reader.ReadAllAsync(_stop.Token))
        {
            foreach (INotificationChannel channel in _channels)
            {
                await DeliverAsync(channel, notification);
            }
        }
    }

    private async Task DeliverAsync(INotificationChannel channel, Notification notification)
    {
        TimeSpan backoff = _options.InitialBackoff;
        for (int attempt = 1; ; attempt++)
        {
            string? error = await TrySendAsync(channel, notification);
            if (error is null)
            {
                Interlocked.Increment(ref _sent);
                return;
            }

            bool retryable = !error.StartsWith('!');
            if (!retryable || attempt >= _options.Attempts || _stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                WarnOnce(channel, $"warning: notify {channel.Name}: delivery failed after {attempt} attempt(s) ({error.TrimStart('!')}); watching continues");
                return;
            }

            try
            {
                await Task.Delay(backoff, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _failed);
                return;
            }

            backoff *= 2;
        }
    }

    /// <summary>Null on success; otherwise the reason, prefixed with '!' when retrying is pointless.</summary>
    private async Task<string?> TrySendAsync(INotificationChannel channel, Notification notification)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stop.Token);
        try
        {
            await channel.SendAsync(notification, linked.Token);
            return null;
        }
        catch (NotificationException ex)
        {
            return ex.Retryable ? ex.Message : "!" + ex.Message;
        }
        catch (HttpRequestException ex)
        {
            // The message names host and port only ("Connection refused (127.0.0.1:9)"), never the path with a token.
            return ex.HttpRequestError.ToString();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s";
        }
        catch (OperationCanceledException)
        {
            return "!stopped";
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or UriFormatException)
        {
            // A request that can never succeed; only the type is shown, since the message may quote the URL and its token.
            return "!" + ex.GetType().Name;
        }
    }

    private void WarnOnce(INotificationChannel channel, string message)
    {
        lock (_warned)
        {
            if (!_warned.Add(channel.Name))
            {
                return;
            }
        }

        // The reasons are built not to quote URLs, but a server's reason phrase is not ours to trust.
        _warn(SecretRedactor.Redact(message));
    }
}
