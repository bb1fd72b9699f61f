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

    public void Attach(Logger runLogger)
    {
        lock (_gate)
        {
            _runLogger?.Dispose();
            _runLogger = runLogger;
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
