namespace CclAgent.Watch.Events;

/// <summary>Something watch tells its user; serialised as one JSON object per line with <c>--json</c>.</summary>
public abstract record WatchEvent
{
    /// <summary>The JSON <c>type</c>: phase_change, alert, status, advice, log, summary.</summary>
    public abstract string Type { get; }

    /// <summary>The 1-based line of the log that triggered the event (0 before any line).</summary>
    public required long Line { get; init; }

    /// <summary>The training iteration at that line, when known.</summary>
    public long? Step { get; init; }
}
