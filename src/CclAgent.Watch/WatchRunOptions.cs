namespace CclAgent.Watch;

/// <summary>How a session reads the file.</summary>
public sealed record WatchRunOptions
{
    /// <summary>Read to the end and stop (CI, post-mortems); otherwise follow like tail -F.</summary>
    public bool Once { get; init; }

    /// <summary>While following, start at the beginning and report everything; otherwise replay only the end silently.</summary>
    public bool FromStart { get; init; }

    /// <summary>How often to look for new lines while following.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Without --from-start, how much of an existing log is replayed (silently) to learn the run's state.</summary>
    public long HistoryBytes { get; init; } = 4L * 1024 * 1024;
}
