using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;
using OpenAI.Chat;

namespace CclAgent.Llm.Clients;

/// <summary>
/// Builds the real <see cref="IChatClient"/> for a provider: OllamaSharp's <see cref="OllamaApiClient"/>
/// (POST /api/chat), the OpenAI SDK's chat client through Microsoft.Extensions.AI.OpenAI
/// (POST {endpoint}/chat/completions, so vLLM and other OpenAI-compatible servers work), the official Anthropic SDK's
/// chat client (POST {base}/v1/messages, see <see cref="AnthropicConnection"/>), or the null client.
/// Timeouts and retries are the session's job, so the SDK's own retry policy is switched off.
/// </summary>
public static class ChatClientFactory
{
    public static ModelConnection Create(LlmSettings settings, Func<string, string?> environment)
    {
        if (!settings.Enabled)
        {
            return ModelConnection.None;
        }

        var handler = new SocketsHttpHandler
        {
            // A dead host should fail fast; the per-attempt timeout bounds the rest of the call.
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, settings.Timeout.TotalSeconds)),
            AutomaticDecompression = DecompressionMethods.All,
        };
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        if (settings.Provider == LlmProvider.Ollama)
        {
            http.BaseAddress = settings.Endpoint;
            var ollama = new OllamaApiClient(http, settings.Model);
            return new ModelConnection(ollama, settings, [], http);
        }

        if (settings.Provider == LlmProvider.Anthropic)
        {
            return AnthropicConnection.Create(settings, environment, http);
        }

        string? keyVariable = settings.ApiKeySource;
        string? key = keyVariable is null ? null : environment(keyVariable);
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.Endpoint,
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = settings.Timeout,
        };

        // OpenAI-compatible servers without authentication (a local vLLM) still need a credential object;
        // the placeholder is harmless and is not a secret.
        var chat = new ChatClient(settings.Model, new ApiKeyCredential(string.IsNullOrEmpty(key) ? "no-key" : key), options);
        return new ModelConnection(chat.AsIChatClient(), settings, string.IsNullOrEmpty(key) ? [] : [key], http);
    }
}
