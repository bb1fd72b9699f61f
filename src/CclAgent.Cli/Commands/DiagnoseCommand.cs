using System.CommandLine;
using System.Text.Json;
using CclAgent.Diagnosis;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent diagnose`: root cause of a failed run from its logs, with evidence and ranked fixes.</summary>
internal sealed class DiagnoseCommand : Command
{
    private readonly Option<string[]> _log = new("--log", "-l") { Description = "Log to diagnose (repeatable): training stdout/stderr, NCCL_DEBUG output, dmesg/journal text, or a ccl-agent run directory.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string?> _run = new("--run") { Description = "A ccl-agent run directory (or its run_context.json): its failed steps are diagnosed." };
    private readonly Option<string[]> _code = new("--code") { Description = "Training script(s) to check with the code rules (repeatable).", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _json = new("--json") { Description = "Print the diagnosis as JSON on stdout (schema: docs/diagnose.md)." };
    private readonly Option<bool> _llm = new("--llm") { Description = "Multi-turn LLM analysis on top of the deterministic verdict (not available in this version)." };

    public DiagnoseCommand()
        : base("diagnose", "Find the root cause of a failed or hung training run: evidence from logs, initiating cause vs cascades, ranked fixes.")
    {
        foreach (Option option in new Option[] { _log, _run, _code, _json, _llm })
        {
            Options.Add(option);
        }

        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;
        string[] logs = parse.GetValue(_log) ?? [];
        string? run = parse.GetValue(_run);
        if (logs.Length == 0 && run is null)
        {
            await error.WriteLineAsync("error: nothing to diagnose; give --log FILE (repeatable) or --run RUN_DIRECTORY");
            return ExitCodes.UsageError;
        }

        if (parse.GetValue(_llm))
        {
            await error.WriteLineAsync("warning: --llm is not available in this version; continuing with the deterministic diagnosis");
        }

        DiagnosisReport report;
        try
        {
            List<LogSource> sources = Sources(logs, run);
            var options = new DiagnosisOptions { CodeFiles = parse.GetValue(_code) ?? [] };
            report = await Task.Run(() => Diagnoser.Diagnose(sources, options, cancellationToken), cancellationToken);
        }
        catch (DiagnosisInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot read input: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        await output.WriteAsync(parse.GetValue(_json)
            ? JsonSerializer.Serialize(report, DiagnosisJsonContext.Default.DiagnosisReport) + Environment.NewLine
            : DiagnosisTextWriter.Render(report));
        return ExitCodes.Success;
    }

    /// <summary>Checks every path before reading any, so a typo fails fast with exit code 2.</summary>
    private static List<LogSource> Sources(string[] logs, string? run)
    {
        var sources = new List<LogSource>();
        foreach (string log in logs)
        {
            if (Directory.Exists(log))
            {
                if (!RunDirectoryReader.IsRunDirectory(log))
                {
                    throw new DiagnosisInputException($"--log {log}: is a directory but not a ccl-agent run directory (no steps/ folder)");
                }

                sources.AddRange(RunDirectoryReader.ReadFailedSteps(log));
            }
            else if (File.Exists(log))
            {
                sources.Add(LogSource.FromFile(log));
            }
            else
            {
                throw new DiagnosisInputException($"--log {log}: file not found");
            }
        }

        if (run is not null)
        {
            if (!File.Exists(run) && !Directory.Exists(run))
            {
                throw new DiagnosisInputException($"--run {run}: no such file or directory");
            }

            sources.AddRange(RunDirectoryReader.ReadFailedSteps(run));
        }

        return sources;
    }
}
