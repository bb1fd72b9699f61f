namespace CclAgent.Llm.Agents;

/// <summary>Why a run ended. Only <see cref="Completed"/> carries a final answer; for the others the caller falls back.</summary>
public enum AgentStopReason
{
    /// <summary>The model answered with text and asked for no more tools.</summary>
    Completed,

    /// <summary>The round cap was reached while the model still wanted tools.</summary>
    RoundCap,

    /// <summary>The wall-clock timeout expired.</summary>
    Timeout,

    /// <summary>The model could not be reached or answered outside its protocol (HTTP 5xx after retries, invalid JSON).</summary>
    ModelError,
}
