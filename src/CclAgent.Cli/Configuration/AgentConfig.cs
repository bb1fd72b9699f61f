namespace CclAgent.Cli.Configuration;

/// <summary>
/// The agent config file (--config): defaults for flags, so nightly jobs need no long command lines.
/// Every field is optional; CLI flags win over it, and it wins over the workload's own tuning block.
/// </summary>
public sealed record AgentConfig
{
    public int? Budget { get; set; }
    public int? Seed { get; set; }
    public int? Iterations { get; set; }
    public int? WarmupIterations { get; set; }
    public int? PlateauSteps { get; set; }
    public double? TargetSpeedup { get; set; }
    public double? SlaMaxIterationMs { get; set; }
    public string? Provider { get; set; }
    public string? Model { get; set; }

    /// <summary>Base URL of the model server (Ollama: http://host:11434; OpenAI-compatible: …/v1). Never put an API key here: keys come from the environment only.</summary>
    public string? LlmEndpoint { get; set; }
    public double? LlmTimeoutSeconds { get; set; }
    public int? LlmRetries { get; set; }
    public bool? LlmStream { get; set; }
    public int? LlmEvery { get; set; }
    public int? LlmMaxCalls { get; set; }
    public int? LlmContextTokens { get; set; }

    /// <summary>Directories of the user's own Markdown/text notes, indexed with the shipped knowledge notes.</summary>
    public IReadOnlyList<string>? KnowledgeDirs { get; set; }
    public string? ArtifactsRoot { get; set; }
    public string? Memory { get; set; }
    public double? NoiseSigma { get; set; }
    public double? TransientFaultRate { get; set; }
}
