namespace CclAgent.Llm.Clients;

/// <summary>One layer of LLM settings (command line, environment or config file); null means "not set here".</summary>
public sealed record LlmSettingsSources
{
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public string? Endpoint { get; init; }
    public double? TimeoutSeconds { get; init; }
    public int? MaxRetries { get; init; }
    public bool? Stream { get; init; }
    public int? MaxCalls { get; init; }
    public int? ContextTokens { get; init; }

    /// <summary>Anthropic-only base URL (ANTHROPIC_BASE_URL, else MINIMAX_BASE_URL); used after <see cref="Endpoint"/>.</summary>
    public string? AnthropicEndpoint { get; init; }

    /// <summary>Anthropic-only model (MINIMAX_MODEL); used after <see cref="Model"/>.</summary>
    public string? AnthropicModel { get; init; }

    /// <summary>The variable holding the Anthropic credential (ANTHROPIC_AUTH_TOKEN, else ANTHROPIC_API_KEY): its name, never its value.</summary>
    public string? AnthropicKeySource { get; init; }
}
