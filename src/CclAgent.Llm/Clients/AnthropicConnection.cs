using Anthropic;
using Microsoft.Extensions.AI;

namespace CclAgent.Llm.Clients;

/// <summary>
/// The Anthropic provider through the official <c>Anthropic</c> SDK and its <see cref="IChatClient"/> adapter
/// (Messages API with tool use: <c>tool_use</c> / <c>tool_result</c> blocks). The credential is passed explicitly so
/// the SDK never falls back to reading the environment on its own (setting the other one to null clears it): ANTHROPIC_AUTH_TOKEN
/// goes in as the SDK's AuthToken, ANTHROPIC_API_KEY as its ApiKey; SDK 13.15.0 sends either as <c>Authorization: Bearer</c>,
/// which is what MiniMax's Anthropic-compatible endpoint expects. Retries and timeouts stay the session's job, so the SDK's own are switched off.
/// </summary>
internal static class AnthropicConnection
{
    public static ModelConnection Create(LlmSettings settings, Func<string, string?> environment, HttpClient http)
    {
        string? variable = settings.ApiKeySource;
        string? secret = variable is null ? null : environment(variable);
        bool hasSecret = !string.IsNullOrEmpty(secret);
        var client = new AnthropicClient
        {
            HttpClient = http,
            BaseUrl = BaseUrl(settings.Endpoint),
            MaxRetries = 0,
            Timeout = settings.Timeout,
            ApiKey = hasSecret && variable == LlmSettingsResolver.AnthropicKeyVariable ? secret : null,
            AuthToken = hasSecret && variable != LlmSettingsResolver.AnthropicKeyVariable ? secret : null,
        };
        IChatClient chat = client.AsIChatClient(settings.Model, settings.MaxOutputTokens);
        return new ModelConnection(chat, settings, hasSecret ? [secret!] : [], http);
    }

    // The SDK appends /v1/messages itself; a base written with a trailing /v1 (as some guides do) would double it.
    private static string BaseUrl(Uri endpoint)
    {
        string text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return text.EndsWith("/v1", StringComparison.Ordinal) ? text[..^3] : text;
    }
}
