using System.CommandLine;
using System.Text.Json;
using CclAgent.Core.Files;
using CclAgent.Trace;
using CclAgent.Trace.Report;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent trace analyze`: what a GPU job or a multi-step workflow spent its time on, and why it failed.</summary>
internal sealed class TraceCommand : Command
{
    private readonly Argument<string[]> _inputs = new("INPUT") { Description = "Trace files or directories (.json, .json.gz); a directory of Kineto files is one multi-rank job.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _format = new("--format") { Description = "Input format (default auto): auto, events, kineto, nccl-inspector, workflow.", DefaultValueFactory = _ => "auto" };
    private readonly Option<string?> _baseline = new("--baseline") { Description = "Workflow step baselines: a JSON file ({step: {duration_p50, duration_p95, success_rate}}) or a directory (its baselines.json, else earlier executions of the workflow to derive them from), replacing those in the input." };
    private readonly Option<string?> _history = new("--history") { Description = "Directory of earlier analysis.json files (trace analyze --out): steps slow or failing repeatedly, regressions -> patterns." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the analysis as JSON (schema: docs/trace.md)." };
    private readonly Option<string?> _out = new("--out") { Description = "Directory to write report.md and analysis.json into." };

    public TraceCommand()
        : base("trace", "Analyse traces (Kineto, workflow executions): integrity, critical path, bottlenecks, failure propagation, GPU time.")
    {
        var analyze = new Command("analyze", "Analyse one job's or one workflow execution's traces.");
        analyze.Arguments.Add(_inputs);
        foreach (Option option in new Option[] { _format, _baseline, _history, _json, _out })
        {
            analyze.Options.Add(option);
        }

        _format.AcceptOnlyFromAmong("auto", "events", "kineto", "nccl-inspector", "workflow");
        analyze.SetAction((parse, ct) => ExecuteAsync(parse, ct));
        Subcommands.Add(analyze);
        Subcommands.Add(new TraceWorkloadCommand());
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        string[] inputs = parse.GetValue(_inputs) ?? [];
        string? history = parse.GetValue(_history);
        TraceReport? analysed = await TraceInputReading.RunAsync(
            () =>
            {
                TraceReport report = TraceAnalyzer.Analyze(inputs, parse.GetValue(_format) ?? "auto", parse.GetValue(_baseline));
                return history is null ? report : TraceAnalyzer.WithHistory(report, history);
            },
            error,
            cancellationToken);
        if (analysed is not TraceReport report)
        {
            return ExitCodes.InvalidInput;
        }

        string json = JsonSerializer.Serialize(report, TraceJsonContext.Default.TraceReport) + Environment.NewLine;
        string text = TraceTextWriter.Render(report);
        if (parse.GetValue(_out) is string dir)
        {
            try
            {
                Directory.CreateDirectory(dir);
                await AtomicFile.WriteAllTextAsync(Path.Combine(dir, "analysis.json"), json, cancellationToken);
                await AtomicFile.WriteAllTextAsync(Path.Combine(dir, "report.md"), text, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: --out {dir}: cannot write: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
        }

        await parse.InvocationConfiguration.Output.WriteAsync(parse.GetValue(_json) ? json : text);
        return ExitCodes.Success;
    }
}
