namespace CclAgent.Tuning.Records;

/// <summary>
/// The model settings a run asked with (offline/replay.json <c>model</c>): what decides how many calls it made, how they
/// were retried and how much context they carried, so <c>replay</c> can ask the same way and answer every call from
/// the run's prompt packs (llm/call_*.json). Never a key: only the name of the variable it came from is in the packs.
/// </summary>
public sealed record RecordedModel
{
    /// <summary>ollama | openai | anthropic.</summary>
    public required string Provider { get; init; }
    public required string Model { get; init; }

    /// <summary>The endpoint without user info.</summary>
    public required string Endpoint { get; init; }
    public required int MaxCalls { get; init; }
    public required int ContextTokens { get; init; }
    public required int MaxOutputTokens { get; init; }
    public required bool Stream { get; init; }
    public required double TimeoutSeconds { get; init; }
    public required int MaxRetries { get; init; }
}
