using System.CommandLine;
using System.Globalization;
using CclAgent.Cli;
using CclAgent.Cli.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

// Composition root: logging, services, the command tree (CliApp); then System.CommandLine owns argv.
var runLog = new RunLogSink();
Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Debug()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .WriteTo.Sink(runLog)
    .WriteTo.Console(formatProvider: CultureInfo.InvariantCulture, restrictedToMinimumLevel: LogEventLevel.Fatal, standardErrorFromLevel: LogEventLevel.Verbose,
        outputTemplate: "{Level:u3}: {Message:lj}{NewLine}")
    .CreateLogger();

try
{
    HostApplicationBuilder builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Services.AddSerilog(dispose: false);
    builder.Services.AddSingleton(runLog);
    builder.Services.AddSingleton(TimeProvider.System);
    // One command class per verb, and the root that holds them (CliApp.AddCliCommands).
    builder.Services.AddCliCommands();
    using IHost host = builder.Build();

    RootCommand root = host.Services.GetRequiredService<RootCommand>();
    Microsoft.Extensions.Logging.ILogger logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CclAgent.Cli");
    using var signals = new SignalCancellation();
    return signals.ExitCodeFor(await CliApp.RunAsync(root, args, Console.Out, Console.Error, logger, signals.Token));
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    // Start-up failures (before the command tree runs): one line, the stack trace in the log.
    Log.Error(ex, "Unhandled error");
    string details = runLog.LogFile is { } logFile && File.Exists(logFile) ? $"details are in {logFile}" : "no run log was written";
    Console.Error.WriteLine($"error: internal error ({ex.GetType().Name}: {ex.Message}); {details}");
    return ExitCodes.InternalError;
}
finally
{
    await Log.CloseAndFlushAsync();
    runLog.Dispose();
}
