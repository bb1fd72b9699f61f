using System.Text;

namespace CclAgent.Diagnosis.Sources;

/// <summary>
/// One stream of log lines to diagnose: a file (training output, NCCL_DEBUG output, dmesg/journal text),
/// in-memory text, or the failure of one step of a ccl-agent run.
/// </summary>
public sealed class LogSource
{
    private readonly Func<Stream> _open;

    private LogSource(string name, Func<Stream> open, int? step, string? failureClass, int firstLine)
    {
        Name = name;
        _open = open;
        Step = step;
        FailureClass = failureClass;
        FirstLine = firstLine;
    }

    /// <summary>Shown as the file of every piece of evidence from this source.</summary>
    public string Name { get; }

    /// <summary>For a failed run step: its step number (the failure step when it becomes the root cause).</summary>
    public int? Step { get; }

    /// <summary>For a failed run step: its recorded failure_class, used when the message matches no signal.</summary>
    public string? FailureClass { get; }

    /// <summary>Line number of the first line (a step's message sits at its line in the step JSON file).</summary>
    public int FirstLine { get; }

    public static LogSource FromFile(string path, string? displayName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new LogSource(displayName ?? path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan), null, null, 1);
    }

    public static LogSource FromText(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return new LogSource(name, () => new MemoryStream(bytes, writable: false), null, null, 1);
    }

    /// <summary>
    /// The failure of one tuning step: its failure message is scanned like a log line; when no signal
    /// matches it, the failure class decides the category (see docs/diagnose.md).
    /// </summary>
    public static LogSource FromFailedStep(string name, int step, string? failureClass, string? failureMessage, int line = 1)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(failureMessage ?? failureClass ?? "failed");
        return new LogSource(name, () => new MemoryStream(bytes, writable: false), step, failureClass, line);
    }

    internal Stream Open() => _open();
}
