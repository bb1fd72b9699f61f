namespace CclAgent.Llm.Clients;

/// <summary>
/// How to reach the model and how much of it to use. Deliberately holds no API key: the key is read
/// from the environment when the client is built, so no record that gets serialized can carry it.
/// </summary>
public sealed record LlmSettings
{
    public const string DefaultOllamaEndpoint = "http://localhost:11434";
    public const string DefaultOpenAIEndpoint = "https://api.openai.com/v1";
    public const string DefaultOllamaModel = "llama3.1";
    public const string DefaultOpenAIModel = "gpt-4o-mini";
    public const string DefaultAnthropicEndpoint = "https://api.anthropic.com";
    public const string DefaultAnthropicModel = "minimax-m2.1";

    public static LlmSettings Disabled { get; } = new() { Provider = LlmProvider.None, Model = string.Empty, Endpoint = new Uri(DefaultOllamaEndpoint) };

    public required LlmProvider Provider { get; init; }
    public required string Model { get; init; }
    public required Uri Endpoint { get; init; }

    /// <summary>Wall-clock limit of one attempt (request sent → whole reply read).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Extra attempts after a transient failure (connection refused, HTTP 5xx/429). Timeouts are not retried.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>Ask for a streamed reply (Ollama NDJSON, OpenAI server-sent events) and assemble it.</summary>
    public bool Stream { get; init; }

    /// <summary>Most model calls one run may make (repairs included).</summary>
    public int MaxCalls { get; init; } = 16;

    /// <summary>Token budget of the context window put into a prompt (estimated, ~4 characters per token).</summary>
    public int ContextTokens { get; init; } = 3000;

    /// <summary>Upper bound on tokens the model may generate per reply.</summary>
    public int MaxOutputTokens { get; init; } = 800;

    /// <summary>The name of the environment variable the API key came from (never the key), for the prompt pack.</summary>
    public string? ApiKeySource { get; init; }

    public bool Enabled => Provider != LlmProvider.None;

    /// <summary>The endpoint as it may be written down: user info (a password in the URL) removed.</summary>
    public string SafeEndpoint => string.IsNullOrEmpty(Endpoint.UserInfo)
        ? Endpoint.ToString()
        : new UriBuilder(Endpoint) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();

    public override string ToString() => Enabled ? $"{ProviderName(Provider)} {Model} at {SafeEndpoint}" : "none";

    /// <summary>The provider a name stands for (as <see cref="ProviderName"/> writes it), or null for an unknown name.</summary>
    public static LlmProvider? ParseProvider(string name) => name switch
    {
        "ollama" => LlmProvider.Ollama,
        "openai" => LlmProvider.OpenAI,
        "anthropic" => LlmProvider.Anthropic,
        "none" => LlmProvider.None,
        _ => null,
    };

    public static string ProviderName(LlmProvider provider) => provider switch
    {
        LlmProvider.Ollama => "ollama",
        LlmProvider.OpenAI => "openai",
        LlmProvider.Anthropic => "anthropic",
        _ => "none",
    };
}
