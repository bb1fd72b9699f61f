using System.Text.Json;

namespace CclAgent.Llm.Calls;

/// <summary>The request options of a call. The API key is never here: only the name of the variable it came from.</summary>
public sealed record PackRequestOptions
{
    public required float Temperature { get; init; }
    public required int MaxOutputTokens { get; init; }
    public required string ResponseFormat { get; init; }
    public required JsonElement Schema { get; init; }
    public required bool Stream { get; init; }
    public required double TimeoutSeconds { get; init; }
    public required int MaxRetries { get; init; }
    public string? ApiKeySource { get; init; }
}
