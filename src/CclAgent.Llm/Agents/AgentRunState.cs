using System.Text.Json.Nodes;

namespace CclAgent.Llm.Agents;

/// <summary>
/// The mutable record of one run, shared by the round-counting client and the tool-call filter. SK invokes
/// tools one after another here (concurrent invocation is off), so no locking is needed.
/// </summary>
internal sealed class AgentRunState(int maxRounds)
{
    private readonly HashSet<string> _calls = new(StringComparer.Ordinal);

    public int MaxRounds { get; } = maxRounds;

    /// <summary>Model requests sent so far.</summary>
    public int Rounds { get; set; }

    /// <summary>Set when the cap stopped a model that still wanted tools.</summary>
    public bool CapHit { get; set; }

    public List<AgentToolCall> ToolCalls { get; } = [];

    public List<AgentRound> RoundLog { get; } = [];

    /// <summary>True the first time this exact call (tool + canonical arguments) is seen.</summary>
    public bool FirstTime(string tool, JsonObject arguments) => _calls.Add(tool + "\n" + arguments.ToJsonString());
}
