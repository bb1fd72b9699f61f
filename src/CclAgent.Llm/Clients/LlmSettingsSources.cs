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
}
