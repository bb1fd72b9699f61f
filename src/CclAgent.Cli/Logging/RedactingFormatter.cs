using CclAgent.Core.Secrets;
using Serilog.Events;
using Serilog.Formatting;

namespace CclAgent.Cli.Logging;

/// <summary>
/// Masks credentials in each formatted log event (<see cref="SecretRedactor"/>): the run's log file travels with the
/// run directory, and a logged exception message or property may quote a URL with a password or a job's output line.
/// </summary>
public sealed class RedactingFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        inner.Format(logEvent, buffer);
        output.Write(SecretRedactor.Redact(buffer.ToString()));
    }
}
