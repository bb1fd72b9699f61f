namespace CclAgent.Tuning.Resuming;

/// <summary>
/// A run directory cannot be resumed: a record is missing or unreadable, or this version would not take the path the
/// interrupted run took. The message is one line naming the file or step.
/// </summary>
public sealed class ResumeException(string message) : Exception(message);
