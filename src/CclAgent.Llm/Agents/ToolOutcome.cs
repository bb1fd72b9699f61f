using System.Text.Json;

namespace CclAgent.Llm.Agents;

/// <summary>
/// What a tool function returns to the filter: the JSON the model is shown (masked, capped) and how the call
/// ended. The filter records the outcome and swaps it for <see cref="ModelView"/> before SK sends it back.
/// </summary>
internal sealed record ToolOutcome(JsonElement ModelView, AgentToolStatus Status, string? Error, bool Truncated);
