namespace CclAgent.Tuning.Progress;

/// <summary>Drops progress (--quiet, tests).</summary>
public sealed class NullProgressSink : IProgressSink
{
    public static NullProgressSink Instance { get; } = new();

    public void Report(StepProgress progress)
    {
    }

    public void Message(string text)
    {
    }
}
