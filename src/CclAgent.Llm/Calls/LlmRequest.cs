using CclAgent.Llm.Context;

namespace CclAgent.Llm.Calls;

/// <summary>One question for the model: what it is for, the instructions, the context sections and the task itself.</summary>
public sealed record LlmRequest
{
    /// <summary>Short name of what is asked (baseline, hypotheses); names the JSON schema too.</summary>
    public required string Purpose { get; init; }

    /// <summary>Trace phase the call belongs to (offline, online).</summary>
    public required string Phase { get; init; }
    public int? Step { get; init; }
    public required string Instructions { get; init; }
    public required string Task { get; init; }
    public required IReadOnlyList<ContextSection> Sections { get; init; }
}
