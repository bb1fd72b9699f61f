namespace CclAgent.Cli.Replay;

/// <summary>The run directory cannot be replayed at all (missing or unreadable record, another schema); one line for the user.</summary>
internal sealed class ReplayInputException(string message) : Exception(message);
