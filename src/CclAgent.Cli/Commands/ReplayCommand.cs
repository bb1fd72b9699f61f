using System.CommandLine;
using System.Text.Json;
using CclAgent.Cli.Replay;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent replay RUN_DIR`: re-derive every decision of a recorded tune run from its artifacts, and say where it diverges.</summary>
internal sealed class ReplayCommand : Command
{
    private readonly Argument<string> _run = new("RUN_DIR") { Description = "A run directory that tune wrote." };
    private readonly Option<bool> _json = new("--json") { Description = "Print {decisions, diverged, first_divergence} as JSON." };
    public ReplayCommand()
        : base("replay", "Re-derive every decision of a recorded tune run from its run directory alone (no job runs); exit 8 when one diverges.")
    {
        Arguments.Add(_run);
        Options.Add(_json);
        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter output = parse.InvocationConfiguration.Output, error = parse.InvocationConfiguration.Error;
        string directory = parse.GetRequiredValue(_run);
        if (!Directory.Exists(directory))
        {
            await error.WriteLineAsync($"error: replay {directory}: no such directory; expected a run directory that tune wrote");
            return ExitCodes.InvalidInput;
        }

        ReplayReport report;
        try
        {
            report = await ReplayAsync(directory, cancellationToken);
        }
        catch (ReplayInputException ex)
        {
            await error.WriteLineAsync($"error: replay: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        if (parse.GetValue(_json))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, ReplayJsonContext.Default.ReplayReport));
        }
        else
        {
            await output.WriteLineAsync(Describe(report));
        }

        return report.Diverged == 0 ? ExitCodes.Success : ExitCodes.ReplayDiverged;
    }

    /// <summary>The engine writes artifacts into the scratch run; an unreadable file there is the same kind of refusal.</summary>
    private static async Task<ReplayReport> ReplayAsync(string directory, CancellationToken cancellationToken)
    {
        try
        {
            return await RunReplayer.ReplayAsync(directory, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ReplayInputException($"{directory}: cannot be read ({ex.Message})");
        }
    }

    private static string Describe(ReplayReport report)
    {
        string summary = $"replayed {report.Decisions} decisions, {report.Diverged} diverged";
        if (report.FirstDivergence is { } d)
        {
            summary += $"\nfirst divergence: {(d.Step is int s ? $"step {s}" : "offline")}{(d.EventId is { } id ? $" (event {id})" : string.Empty)}, {d.Field}\n  recorded: {d.Recorded}\n  replayed: {d.Replayed}";
        }

        return report.EndedAt is { } end ? $"{summary}\n{end}" : summary;
    }
}
