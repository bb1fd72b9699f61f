using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CclAgent.Watch.Notify;

/// <summary>
/// <c>--notify webhook:URL</c>: POSTs <c>{"text": "...", "event": {...}}</c>. The <c>text</c> field is what Slack and
/// Mattermost incoming webhooks display; <c>event</c> is the same object <c>--json</c> prints.
/// </summary>
public sealed class WebhookChannel(HttpClient http, Uri url) : INotificationChannel
{
    // Only scheme, host and port: webhook paths often embed a secret (Slack's /services/T…/B…/xyz).
    public string Name => $"webhook {url.Scheme}://{url.Authority}";

    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("text", notification.Text);
            w.WritePropertyName("event");
            w.WriteRawValue(notification.EventJson);
            w.WriteEndObject();
        }

        return HttpPost.JsonAsync(http, url, Encoding.UTF8.GetString(buffer.WrittenSpan), cancellationToken);
    }
}
