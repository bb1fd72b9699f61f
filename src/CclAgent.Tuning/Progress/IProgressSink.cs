namespace CclAgent.Tuning.Progress;

/// <summary>Receives live progress (the CLI prints it on stderr).</summary>
public interface IProgressSink
{
    void Report(StepProgress progress);

    void Message(string text);
}
