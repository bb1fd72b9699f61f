namespace CclAgent.Watch.Notify;

/// <summary>Parses <c>--notify</c> values into channels; the Telegram token and chat come from the environment.</summary>
public static class NotifyTargets
{
    public const string TokenVariable = "CCL_AGENT_TELEGRAM_TOKEN";
    public const string ChatVariable = "CCL_AGENT_TELEGRAM_CHAT_ID";

    /// <summary>Overrides the Bot API address (tests, self-hosted Bot API servers).</summary>
    public const string ApiVariable = "CCL_AGENT_TELEGRAM_API";

    /// <summary>Returns the channel, or a one-line problem (never containing a secret).</summary>
    public static (INotificationChannel? Channel, string? Problem) Parse(string spec, HttpClient http, Func<string, string?> environment)
    {
        if (spec.StartsWith("webhook:", StringComparison.OrdinalIgnoreCase))
        {
            string url = spec["webhook:".Length..];
            return Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme is "http" or "https"
                ? (new WebhookChannel(http, uri), null)
                : (null, "--notify webhook:URL needs an absolute http(s) URL, e.g. webhook:https://hooks.example.com/T000/B000");
        }

        if (string.Equals(spec, "telegram", StringComparison.OrdinalIgnoreCase))
        {
            string? token = environment(TokenVariable) ?? environment("TELEGRAM_BOT_TOKEN");
            string? chat = environment(ChatVariable) ?? environment("TELEGRAM_CHAT_ID");
            if (string.IsNullOrWhiteSpace(token) || string.IsNullOrWhiteSpace(chat))
            {
                return (null, $"--notify telegram needs the bot token in {TokenVariable} and the chat id in {ChatVariable}");
            }

            string api = environment(ApiVariable) ?? "https://api.telegram.org/";
            if (!Uri.TryCreate(api.EndsWith('/') ? api : api + "/", UriKind.Absolute, out Uri? apiBase))
            {
                return (null, $"{ApiVariable} is not an absolute URL");
            }

            return (new TelegramChannel(http, apiBase, token, chat), null);
        }

        return (null, $"--notify: unknown target '{spec}'; expected webhook:URL or telegram");
    }
}
