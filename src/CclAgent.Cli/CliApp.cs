using System.CommandLine;
using CclAgent.Cli.Commands;
using CclAgent.Cli.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace CclAgent.Cli;

/// <summary>
/// The command tree and its invocation, shared by Program.cs (the composition root of the real executable)
/// and by tests that run the CLI in-process with their own writers and clock.
/// </summary>
public static class CliApp
{
    public const string ExecutableName = "ccl-agent";

    public const string Description = "ccl-agent: tunes NCCL for distributed GPU training and learns across runs.";

    /// <summary>Registers one command class per verb and the root command that holds them.</summary>
    public static IServiceCollection AddCliCommands(this IServiceCollection services)
    {
        services.AddSingleton<TuneCommand>();
        services.AddSingleton<WatchCommand>();
        services.AddSingleton<DiagnoseCommand>();
        services.AddSingleton<BenchCommand>();
        services.AddSingleton<NcclTestsCommand>();
        services.AddSingleton<SimCommand>();
        services.AddSingleton<TraceCommand>();
        services.AddSingleton<ReplayCommand>();
        services.AddSingleton<ReportCommand>();
        services.AddSingleton<IncidentCommand>();
        services.AddSingleton<Commands.Memory.MemoryCommand>();
        services.AddSingleton(BuildRoot);
        return services;
    }

    /// <summary>The root command with every verb registered in <paramref name="services"/>.</summary>
    public static RootCommand BuildRoot(IServiceProvider services)
    {
        // The executable's name in usage lines, also when the tree runs inside another host (tests).
        var root = new RootCommand(Description) { HelpName = ExecutableName };
        root.Subcommands.Add(services.GetRequiredService<TuneCommand>());
        root.Subcommands.Add(services.GetRequiredService<WatchCommand>());
        root.Subcommands.Add(services.GetRequiredService<DiagnoseCommand>());
        root.Subcommands.Add(services.GetRequiredService<BenchCommand>());
        root.Subcommands.Add(services.GetRequiredService<NcclTestsCommand>());
        root.Subcommands.Add(services.GetRequiredService<SimCommand>());
        root.Subcommands.Add(services.GetRequiredService<TraceCommand>());
        root.Subcommands.Add(services.GetRequiredService<ReplayCommand>());
        root.Subcommands.Add(services.GetRequiredService<ReportCommand>());
        root.Subcommands.Add(services.GetRequiredService<IncidentCommand>());
        root.Subcommands.Add(services.GetRequiredService<Commands.Memory.MemoryCommand>());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/> against <paramref name="root"/>, writing to <paramref name="output"/> and
    /// <paramref name="error"/>; cancellation and unexpected exceptions become exit codes and one line on <paramref name="error"/>.
    /// </summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, Microsoft.Extensions.Logging.ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            ParseResult parse = root.Parse(args);
            // No ProcessTerminationTimeout: System.CommandLine's own handler would force exit 143 two seconds after
            // SIGTERM, mid-write, and throw on a second signal; the caller's token (SignalCancellation) is the one stop.
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The boundary: users get one line, the log file gets the stack trace.
            logger?.LogError(ex, "Unhandled error");
            await error.WriteLineAsync($"error: internal error ({ex.GetType().Name}: {ex.Message}); details are in the run's logs/ccl-agent.clef");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// Runs the CLI in-process: its own services (logging into the run directory, <paramref name="time"/> or the system clock)
    /// and the given writers, without touching the console or the global logger.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        using var runLog = new RunLogSink();
        using Serilog.Core.Logger serilog = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Sink(runLog)
            .CreateLogger();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSerilog(serilog));
        services.AddSingleton(runLog);
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddCliCommands();
        await using ServiceProvider provider = services.BuildServiceProvider();
        Microsoft.Extensions.Logging.ILogger logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("CclAgent.Cli");
        return await RunAsync(provider.GetRequiredService<RootCommand>(), args, output, error, logger, cancellationToken);
    }
}
