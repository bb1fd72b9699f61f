using Serilog.Core;
using Serilog.Events;

namespace CclAgent.Cli.Logging;

/// <summary>
/// Routes log events to the current run's logs/ccl-agent.clef once the run directory exists
/// (the logger is configured before any run does). Stack traces go here, never to the console.
/// </summary>
public sealed class RunLogSink : ILogEventSink, IDisposable
{
    private readonly Lock _gate = new();
    private Logger? _runLogger;

    /// <summary>The attached run's log file, so the last-resort error message can point at it only when it exists.</summary>
    public string? LogFile { get; private set; }

    public void Attach(Logger runLogger, string logFile)
    {
        lock (_gate)
        {
            _runLogger?.Dispose();
            _runLogger = runLogger;
            LogFile = logFile;
        }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _runLogger?.Write(logEvent);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _runLogger?.Dispose();
            _runLogger = null;
        }
    }
}
