namespace CclAgent.Llm.Agents;

/// <summary>
/// Raised inside a run when the model could not answer (after the transport's retries); it unwinds SK's
/// function-invocation loop and is turned into <see cref="AgentStopReason.ModelError"/>, never seen by callers.
/// </summary>
internal sealed class AgentModelException : Exception
{
    public AgentModelException()
    {
    }

    public AgentModelException(string message)
        : base(message)
    {
    }

    public AgentModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
