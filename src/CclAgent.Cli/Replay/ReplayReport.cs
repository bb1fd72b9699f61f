namespace CclAgent.Cli.Replay;

/// <summary>What <c>ccl-agent replay --json</c> prints: decisions re-derived, how many differ, and the first that does.</summary>
internal sealed record ReplayReport(int Decisions, int Diverged, ReplayDivergence? FirstDivergence)
{
    /// <summary>Set when the record ended early (a cancelled, preempted or killed run): replay stopped where it did.</summary>
    public string? EndedAt { get; init; }
}
