namespace CclAgent.Llm.Agents;

/// <summary>What the agent is asked to do, with which tools, inside which bounds.</summary>
public sealed record AgentRequest
{
    /// <summary>The hard ceiling on model rounds any request may ask for.</summary>
    public const int RoundLimit = 10;

    public required string SystemPrompt { get; init; }
    public required string UserPrompt { get; init; }
    public required IReadOnlyList<AgentTool> Tools { get; init; }

    /// <summary>Model requests allowed (1 to <see cref="RoundLimit"/>); every request counts, the one that answers too.</summary>
    public int MaxRounds { get; init; } = RoundLimit;

    /// <summary>Wall-clock limit of the whole run (every round and tool call), measured on the runner's TimeProvider.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Names the run in its prompt packs (e.g. "incident").</summary>
    public string Purpose { get; init; } = "agent";

    /// <summary>Largest tool result handed to the model, in characters (~4 per token); longer ones are cut and marked truncated.</summary>
    public int MaxToolResultChars { get; init; } = 32_000;
}
