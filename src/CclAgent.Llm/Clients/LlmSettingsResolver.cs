namespace CclAgent.Llm.Clients;

/// <summary>
/// Merges the layers of LLM settings: command line over environment over config file over defaults
/// (Ollama on localhost). Reports problems as sentences instead of throwing, so the CLI can print them.
/// </summary>
public static class LlmSettingsResolver
{
    public const string ProviderVariable = "CCL_AGENT_PROVIDER";
    public const string ModelVariable = "CCL_AGENT_MODEL";
    public const string EndpointVariable = "CCL_AGENT_LLM_ENDPOINT";
    public const string OpenAIKeyVariable = "OPENAI_API_KEY";
    public const string AgentKeyVariable = "CCL_AGENT_API_KEY";
    public const string AnthropicTokenVariable = "ANTHROPIC_AUTH_TOKEN";
    public const string AnthropicKeyVariable = "ANTHROPIC_API_KEY";
    public const string AnthropicBaseUrlVariable = "ANTHROPIC_BASE_URL";
    public const string MiniMaxBaseUrlVariable = "MINIMAX_BASE_URL";
    public const string MiniMaxModelVariable = "MINIMAX_MODEL";

    public static readonly string[] ProviderNames = ["ollama", "openai", "anthropic", "none"];

    /// <summary>The layer read from CCL_AGENT_PROVIDER / CCL_AGENT_MODEL / CCL_AGENT_LLM_ENDPOINT.</summary>
    public static LlmSettingsSources FromEnvironment(Func<string, string?> environment) => new()
    {
        Provider = NullIfEmpty(environment(ProviderVariable)),
        Model = NullIfEmpty(environment(ModelVariable)),
        Endpoint = NullIfEmpty(environment(EndpointVariable)),
        AnthropicEndpoint = NullIfEmpty(environment(AnthropicBaseUrlVariable)) ?? NullIfEmpty(environment(MiniMaxBaseUrlVariable)),
        AnthropicModel = NullIfEmpty(environment(MiniMaxModelVariable)),
        AnthropicKeySource = !string.IsNullOrEmpty(environment(AnthropicTokenVariable)) ? AnthropicTokenVariable
            : !string.IsNullOrEmpty(environment(AnthropicKeyVariable)) ? AnthropicKeyVariable
            : null,
    };

    /// <summary>The environment variable holding the API key (CCL_AGENT_API_KEY first), or null when neither is set.</summary>
    public static string? ApiKeyVariable(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment(AgentKeyVariable)) ? AgentKeyVariable
        : !string.IsNullOrEmpty(environment(OpenAIKeyVariable)) ? OpenAIKeyVariable
        : null;

    public static (LlmSettings? Settings, IReadOnlyList<string> Problems) Resolve(
        LlmSettingsSources commandLine, LlmSettingsSources environment, LlmSettingsSources configFile, string? apiKeySource)
    {
        var problems = new List<string>();
        string providerText = commandLine.Provider ?? environment.Provider ?? configFile.Provider ?? "ollama";
        LlmProvider? provider = LlmSettings.ParseProvider(providerText.Trim().ToLowerInvariant());
        if (provider is null)
        {
            problems.Add($"provider '{providerText}' is not known; expected one of: {string.Join(", ", ProviderNames)}");
            return (null, problems);
        }

        if (provider == LlmProvider.None)
        {
            return (LlmSettings.Disabled, problems);
        }

        string endpointText = commandLine.Endpoint ?? environment.Endpoint ?? configFile.Endpoint
            ?? (provider == LlmProvider.Anthropic ? environment.AnthropicEndpoint : null)
            ?? DefaultEndpoint(provider.Value);
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            problems.Add($"LLM endpoint '{endpointText}' is not an absolute http(s) URL, e.g. http://localhost:11434");
            return (null, problems);
        }

        double timeout = commandLine.TimeoutSeconds ?? environment.TimeoutSeconds ?? configFile.TimeoutSeconds ?? 60;
        var defaults = new LlmSettings { Provider = provider.Value, Model = string.Empty, Endpoint = endpoint };
        var settings = new LlmSettings
        {
            Provider = provider.Value,
            Model = commandLine.Model ?? environment.Model ?? configFile.Model
                ?? (provider == LlmProvider.Anthropic ? environment.AnthropicModel : null)
                ?? DefaultModel(provider.Value),
            Endpoint = endpoint,
            Timeout = TimeSpan.FromSeconds(timeout),
            MaxRetries = commandLine.MaxRetries ?? environment.MaxRetries ?? configFile.MaxRetries ?? defaults.MaxRetries,
            Stream = commandLine.Stream ?? environment.Stream ?? configFile.Stream ?? provider == LlmProvider.Ollama,
            MaxCalls = commandLine.MaxCalls ?? environment.MaxCalls ?? configFile.MaxCalls ?? defaults.MaxCalls,
            ContextTokens = commandLine.ContextTokens ?? environment.ContextTokens ?? configFile.ContextTokens ?? defaults.ContextTokens,
            ApiKeySource = provider switch
            {
                LlmProvider.OpenAI => apiKeySource,
                LlmProvider.Anthropic => environment.AnthropicKeySource,
                _ => null,
            },
        };
        return (settings, problems);
    }

    private static string DefaultEndpoint(LlmProvider provider) => provider switch
    {
        LlmProvider.Ollama => LlmSettings.DefaultOllamaEndpoint,
        LlmProvider.Anthropic => LlmSettings.DefaultAnthropicEndpoint,
        _ => LlmSettings.DefaultOpenAIEndpoint,
    };

    private static string DefaultModel(LlmProvider provider) => provider switch
    {
        LlmProvider.Ollama => LlmSettings.DefaultOllamaModel,
        LlmProvider.Anthropic => LlmSettings.DefaultAnthropicModel,
        _ => LlmSettings.DefaultOpenAIModel,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
