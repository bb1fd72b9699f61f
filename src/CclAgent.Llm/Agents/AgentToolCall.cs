using System.Text.Json.Nodes;

namespace CclAgent.Llm.Agents;

/// <summary>One tool call of a run: the round whose reply asked for it, the tool, its arguments (secrets masked), how long it took and how it ended.</summary>
public sealed record AgentToolCall(int Round, string Name, JsonObject Arguments, double DurationMs, AgentToolStatus Status)
{
    /// <summary>Why it failed or was refused, when it did.</summary>
    public string? Error { get; init; }

    /// <summary>True when the result handed to the model was cut to the size limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>The result as the model saw it (masked, possibly truncated), as JSON text.</summary>
    public string? Result { get; init; }
}
