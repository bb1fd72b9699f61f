namespace CclAgent.Watch.Following;

/// <summary>One complete line of the followed file: its 1-based number in the current file and its text without the terminator.</summary>
public readonly record struct LogLine(long Number, string Text);
