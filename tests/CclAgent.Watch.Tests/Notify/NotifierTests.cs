using System.Diagnostics;
using System.Text.Json;
using CclAgent.Watch.Notify;

namespace CclAgent.Watch.Tests.Notify;

/// <summary>Webhook and Telegram delivery against a loopback HTTP server: up, down, slow, flaky.</summary>
public sealed class NotifierTests : IDisposable
{
    private static readonly NotificationOptions Fast = new()
    {
        Capacity = 8,
        Attempts = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        // Generous per-request timeout: a loaded CI machine must not turn one slow answer into a retry.
        RequestTimeout = TimeSpan.FromSeconds(5),
        DrainTimeout = TimeSpan.FromSeconds(15),
    };

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly List<string> _warnings = [];

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Webhook_posts_text_and_the_event_json()
    {
        await using var server = new LoopbackHttpServer();
        await using (Notifier notifier = Create(new WebhookChannel(_http, new Uri(server.Url, "hook")), Fast))
        {
            notifier.Enqueue(new Notification("nan_loss at line 5", "{\"type\":\"alert\",\"kind\":\"nan_loss\",\"line\":5}"));
            await notifier.DrainAsync();
            Assert.Equal(1, notifier.Sent);
        }

        (string requestLine, string body) = Assert.Single(server.Received);
        Assert.Equal("POST /hook HTTP/1.1", requestLine);
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Equal("nan_loss at line 5", json.RootElement.GetProperty("text").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("event").GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task A_server_that_is_down_fails_after_retries_with_one_warning_and_no_exception()
    {
        await using Notifier notifier = Create(new WebhookChannel(_http, LoopbackHttpServer.DeadUrl()), Fast);
        notifier.Enqueue(new Notification("a", "{}"));
        notifier.Enqueue(new Notification("b", "{}"));
        await notifier.DrainAsync();

        Assert.Equal(2, notifier.Failed);
        string warning = Assert.Single(_warnings);
        Assert.Contains("delivery failed after 3 attempt(s)", warning);
        Assert.True(warning.Contains("ConnectionError", StringComparison.Ordinal), warning);
    }

    [Fact]
    public async Task A_slow_server_never_blocks_enqueueing_and_the_queue_stays_bounded()
    {
        await using var server = new LoopbackHttpServer(_ => (200, TimeSpan.FromSeconds(5)));
        var options = Fast with { Attempts = 1, RequestTimeout = TimeSpan.FromMilliseconds(300), DrainTimeout = TimeSpan.FromMilliseconds(1500) };
        await using Notifier notifier = Create(new WebhookChannel(_http, server.Url), options);

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++)
        {
            notifier.Enqueue(new Notification($"alert {i}", "{}"));
        }

        Assert.True(clock.ElapsedMilliseconds < 500, $"enqueueing took {clock.ElapsedMilliseconds} ms");
        await notifier.DrainAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"drain took {clock.Elapsed}");
        Assert.True(notifier.Dropped >= 1000 - Fast.Capacity - 2, $"dropped {notifier.Dropped}");
        Assert.Contains(_warnings, w => w.Contains("no answer within 0.3 s"));
    }

    [Fact]
    public async Task A_5xx_is_retried_until_it_succeeds()
    {
        await using var server = new LoopbackHttpServer(n => (n < 3 ? 503 : 200, TimeSpan.Zero));
        await using Notifier notifier = Create(new WebhookChannel(_http, server.Url), Fast);
        notifier.Enqueue(new Notification("x", "{}"));
        await notifier.DrainAsync();

        Assert.Equal((1, 0, 3), (notifier.Sent, notifier.Failed, server.Requests));
    }

    [Fact]
    public async Task A_4xx_is_not_retried()
    {
        await using var server = new LoopbackHttpServer(_ => (404, TimeSpan.Zero));
        await using Notifier notifier = Create(new WebhookChannel(_http, new Uri(server.Url, "gone")), Fast);
        notifier.Enqueue(new Notification("x", "{}"));
        await notifier.DrainAsync();

        // Count this test's path only: a port freed by another test may be reused by this server.
        Assert.Equal((0, 1, 1), (notifier.Sent, notifier.Failed, server.Received.Count(r => r.RequestLine.Contains("/gone"))));
    }

    [Fact]
    public async Task Telegram_posts_to_send_message_with_the_chat_and_never_prints_the_token()
    {
        const string token = "123456:SECRET-token";
        await using var server = new LoopbackHttpServer(n => (n == 1 ? 200 : 500, TimeSpan.Zero));
        var environment = new Dictionary<string, string>
        {
            [NotifyTargets.TokenVariable] = token,
            [NotifyTargets.ChatVariable] = "-100200",
            [NotifyTargets.ApiVariable] = server.Url.ToString(),
        };
        (INotificationChannel? channel, string? problem) = NotifyTargets.Parse("telegram", _http, environment.GetValueOrDefault);
        Assert.Null(problem);

        await using (Notifier notifier = Create(channel!, Fast))
        {
            notifier.Enqueue(new Notification("stalled", "{}"));
            notifier.Enqueue(new Notification("second", "{}"));
            await notifier.DrainAsync();
        }

        Assert.Equal($"POST /bot{token}/sendMessage HTTP/1.1", server.Received[0].RequestLine);
        using JsonDocument json = JsonDocument.Parse(server.Received[0].Body);
        Assert.Equal("-100200", json.RootElement.GetProperty("chat_id").GetString());
        Assert.Equal("stalled", json.RootElement.GetProperty("text").GetString());
        Assert.NotEmpty(_warnings);
        Assert.All(_warnings, w => Assert.DoesNotContain("SECRET", w));
    }

    [Fact]
    public void Telegram_without_environment_is_a_one_line_problem_and_bad_targets_are_rejected()
    {
        (INotificationChannel? channel, string? problem) = NotifyTargets.Parse("telegram", _http, _ => null);
        Assert.Null(channel);
        Assert.Contains(NotifyTargets.TokenVariable, problem);

        Assert.NotNull(NotifyTargets.Parse("email:me", _http, _ => null).Problem);
        Assert.NotNull(NotifyTargets.Parse("webhook:not a url", _http, _ => null).Problem);
    }

    private Notifier Create(INotificationChannel channel, NotificationOptions options) =>
        new([channel], options, TimeProvider.System, w => { lock (_warnings) { _warnings.Add(w); } });
}
