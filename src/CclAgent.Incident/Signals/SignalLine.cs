namespace CclAgent.Incident.Signals;

/// <summary>A log line that matched a signal: where it is (file, 1-based line), its masked text, its reading order.</summary>
internal sealed record SignalLine(string Source, int Line, string Text, int Order);
