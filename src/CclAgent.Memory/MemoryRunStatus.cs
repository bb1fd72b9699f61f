namespace CclAgent.Memory;

/// <summary>Where a recorded run stands, as <c>memory list</c> and <c>report</c> show it.</summary>
public enum MemoryRunStatus
{
    Running,
    Finished,

    /// <summary>Not finished, and its process is gone (same host) or it has shown no life for <see cref="RunStatuses.StaleAfter"/>.</summary>
    Interrupted,
}
