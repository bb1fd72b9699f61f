using System.CommandLine;
using System.Globalization;
using CclAgent.Cli;
using CclAgent.Cli.Commands;
using CclAgent.Cli.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

// Composition root: logging, services, the command tree; then System.CommandLine owns argv.
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
    // One command class per verb; each is registered here and added to the root below.
    builder.Services.AddSingleton<TuneCommand>();
    builder.Services.AddSingleton<WatchCommand>();
    builder.Services.AddSingleton<DiagnoseCommand>();
    builder.Services.AddSingleton<BenchCommand>();
    builder.Services.AddSingleton<NcclTestsCommand>();
    builder.Services.AddSingleton<SimCommand>();
    builder.Services.AddSingleton<RootCommand>(sp =>
    {
        var root = new RootCommand("ccl-agent: tunes NCCL for distributed GPU training and learns across runs.");
        root.Subcommands.Add(sp.GetRequiredService<TuneCommand>());
        root.Subcommands.Add(sp.GetRequiredService<WatchCommand>());
        root.Subcommands.Add(sp.GetRequiredService<DiagnoseCommand>());
        root.Subcommands.Add(sp.GetRequiredService<BenchCommand>());
        root.Subcommands.Add(sp.GetRequiredService<NcclTestsCommand>());
        root.Subcommands.Add(sp.GetRequiredService<SimCommand>());
        return root;
    });
    using IHost host = builder.Build();

    RootCommand root = host.Services.GetRequiredService<RootCommand>();
    ParseResult parse = root.Parse(args);
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return ExitCodes.Cancelled;
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    // The boundary: users get one line, the log file gets the stack trace.
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
