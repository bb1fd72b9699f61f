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

    public static readonly string[] ProviderNames = ["ollama", "openai", "none"];

    /// <summary>The layer read from CCL_AGENT_PROVIDER / CCL_AGENT_MODEL / CCL_AGENT_LLM_ENDPOINT.</summary>
    public static LlmSettingsSources FromEnvironment(Func<string, string?> environment) => new()
    {
        Provider = NullIfEmpty(environment(ProviderVariable)),
        Model = NullIfEmpty(environment(ModelVariable)),
        Endpoint = NullIfEmpty(environment(EndpointVariable)),
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
        LlmProvider? provider = providerText.Trim().ToLowerInvariant() switch
        {
            "ollama" => LlmProvider.Ollama,
            "openai" => LlmProvider.OpenAI,
            "none" => LlmProvider.None,
            _ => null,
        };
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
            ?? (provider == LlmProvider.Ollama ? LlmSettings.DefaultOllamaEndpoint : LlmSettings.DefaultOpenAIEndpoint);
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
                ?? (provider == LlmProvider.Ollama ? LlmSettings.DefaultOllamaModel : LlmSettings.DefaultOpenAIModel),
            Endpoint = endpoint,
            Timeout = TimeSpan.FromSeconds(timeout),
            MaxRetries = commandLine.MaxRetries ?? environment.MaxRetries ?? configFile.MaxRetries ?? defaults.MaxRetries,
            Stream = commandLine.Stream ?? environment.Stream ?? configFile.Stream ?? provider == LlmProvider.Ollama,
            MaxCalls = commandLine.MaxCalls ?? environment.MaxCalls ?? configFile.MaxCalls ?? defaults.MaxCalls,
            ContextTokens = commandLine.ContextTokens ?? environment.ContextTokens ?? configFile.ContextTokens ?? defaults.ContextTokens,
            ApiKeySource = provider == LlmProvider.OpenAI ? apiKeySource : null,
        };
        return (settings, problems);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
