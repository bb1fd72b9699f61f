namespace CclAgent.Llm.Agents;

/// <summary>How one tool call ended, as recorded in the agent trace.</summary>
public enum AgentToolStatus
{
    /// <summary>The tool returned, and its result said success (or said nothing).</summary>
    Success,

    /// <summary>The tool returned <c>status: "error"</c>, or threw (the model got a structured error instead).</summary>
    Error,

    /// <summary>The tool returned <c>status: "no_data"</c>: its source is absent.</summary>
    NoData,

    /// <summary>Not run: an identical call (same tool, same arguments) was made before, or the model named no known tool.</summary>
    Refused,
}
