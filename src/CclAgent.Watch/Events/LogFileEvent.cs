namespace CclAgent.Watch.Events;

/// <summary>The followed file was opened, rotated, truncated, or is awaited. <see cref="WatchEvent.Line"/> is the last line read before.</summary>
public sealed record LogFileEvent : WatchEvent
{
    public override string Type => "log";

    /// <summary>opened, rotated, truncated or waiting.</summary>
    public required string Event { get; init; }

    public required string Path { get; init; }
}
