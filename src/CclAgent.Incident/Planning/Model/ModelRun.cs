using CclAgent.Incident.Agent;

namespace CclAgent.Incident.Planning.Model;

/// <summary>
/// What the model path produced: a result, or why the deterministic planner must take over (<see cref="FallbackKind"/>
/// is the agent_trace error kind, <see cref="HitLimit"/> when the cap or the timeout cut the model short, so the
/// fallback's validation is "unknown"), with the model's own tool calls either way.
/// </summary>
internal sealed record ModelRun
{
    public AgentResult? Result { get; init; }
    public string? FallbackKind { get; init; }
    public string? FallbackReason { get; init; }
    public bool HitLimit { get; init; }
    public required int Rounds { get; init; }
    public required IReadOnlyList<AgentTraceEntry> ModelCalls { get; init; }
}
