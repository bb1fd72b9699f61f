namespace CclAgent.Tuning.Resuming;

/// <summary>
/// A run directory cannot be resumed or replayed: a record is missing or unreadable, or this version would not take the
/// path the recorded run took. The message is one line naming the file or step.
/// </summary>
public sealed class ResumeException(string message, int? step = null) : Exception(message)
{
    /// <summary>The step at which the record and this version parted, when it was a step.</summary>
    public int? Step { get; } = step;
}
