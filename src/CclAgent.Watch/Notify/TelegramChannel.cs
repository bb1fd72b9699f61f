using System.Text.Json;

namespace CclAgent.Watch.Notify;

/// <summary>
/// <c>--notify telegram</c>: the Bot API's <c>sendMessage</c>. The token is part of the URL path, so it never appears
/// in <see cref="Name"/> or in any message watch prints.
/// </summary>
public sealed class TelegramChannel(HttpClient http, Uri apiBase, string token, string chatId) : INotificationChannel
{
    public string Name => "telegram";

    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        // Concatenate rather than resolve: "bot123456:ABC…" would parse as a URI with the scheme "bot123456".
        var uri = new Uri($"{apiBase.AbsoluteUri.TrimEnd('/')}/bot{token}/sendMessage");
        string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["chat_id"] = chatId, ["text"] = notification.Text }, NotifyJsonContext.Default.DictionaryStringString);
        return HttpPost.JsonAsync(http, uri, body, cancellationToken);
    }
}
