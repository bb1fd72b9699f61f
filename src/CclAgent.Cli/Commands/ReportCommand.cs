using System.CommandLine;
using System.Globalization;
using CclAgent.Core.Files;
using CclAgent.Reporting;
using CclAgent.Reporting.Runs;

namespace CclAgent.Cli.Commands;

/// <summary>
/// `ccl-agent report`: the HTML and Markdown report of finished runs (or a bench output), optionally beside a
/// baseline run, and the nightly job's alarm: a non-zero exit when the tuned iteration time regressed.
/// </summary>
internal sealed class ReportCommand : Command
{
    private readonly Argument<string[]> _runs = new("RUN_DIR") { Description = "Run directories (with postrun/summary.json), or bench --out directories.", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _html = new("--html") { Description = "Write the self-contained HTML report to this file." };
    private readonly Option<string?> _md = new("--md") { Description = "Write the GitHub Markdown report to this file (without --html or --md it goes to stdout)." };
    private readonly Option<string?> _compare = new("--compare") { Description = "A baseline run directory: each run side by side with it, ratio columns, differences only." };
    private readonly Option<double?> _failOnRegression = new("--fail-on-regression") { Description = "With --compare: exit 6 when a run's tuned (best) iteration time is more than PCT % above the baseline run's." };

    public ReportCommand()
        : base("report", "Render finished runs as one self-contained HTML file and GitHub Markdown; compare with a baseline run; fail on regression.")
    {
        Arguments.Add(_runs);
        foreach (Option option in new Option[] { _html, _md, _compare, _failOnRegression })
        {
            Options.Add(option);
        }

        _failOnRegression.HelpName = "PCT";
        _failOnRegression.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is double pct && (pct < 0 || !double.IsFinite(pct)))
            {
                r.AddError("--fail-on-regression: expected a percentage ≥ 0");
            }
        });
        Validators.Add(r =>
        {
            if (r.GetValue(_failOnRegression) is not null && r.GetValue(_compare) is null)
            {
                r.AddError("--fail-on-regression needs --compare BASELINE_RUN (the run to regress against)");
            }
        });
        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;
        RunReport report;
        try
        {
            string[] inputs = parse.GetValue(_runs) ?? [];
            report = await Task.Run(() => Load(inputs, parse.GetValue(_compare)), cancellationToken);
        }
        catch (ReportInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        string? html = parse.GetValue(_html);
        string? md = parse.GetValue(_md);
        if (!await TryWriteAsync("--html", html, report.Html, error, cancellationToken) || !await TryWriteAsync("--md", md, report.Markdown, error, cancellationToken))
        {
            return ExitCodes.InvalidInput;
        }

        if (html is null && md is null)
        {
            await output.WriteAsync(report.Markdown(Directory.GetCurrentDirectory()));
        }

        return parse.GetValue(_failOnRegression) is double pct ? await RegressionAsync(report, pct, output, error) : ExitCodes.Success;
    }

    private static RunReport Load(string[] inputs, string? compare)
    {
        List<LoadedRun> runs = [.. inputs.SelectMany(RunReader.Expand).Select(RunReader.Read)];
        LoadedRun? baseline = compare is null ? null : RunReader.Read(RunReader.Expand(compare) is [string one] ? one : throw new ReportInputException($"{compare}: --compare expects one run directory, not a bench output"));
        return new RunReport(runs, baseline);
    }

    private static async Task<bool> TryWriteAsync(string option, string? file, Func<string, string> render, TextWriter error, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return true;
        }

        try
        {
            string full = Path.GetFullPath(file);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await AtomicFile.WriteAllTextAsync(full, render(Path.GetDirectoryName(full)!), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {option} {file}: cannot write: {ex.Message}");
            return false;
        }
    }

    private static async Task<int> RegressionAsync(RunReport report, double pct, TextWriter output, TextWriter error)
    {
        double baselineMs = report.Baseline!.Summary.BestIterationMs;
        int exit = ExitCodes.Success;
        foreach (LoadedRun run in report.Runs)
        {
            double change = (run.Summary.BestIterationMs / baselineMs - 1) * 100;
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{run.Summary.RunId}: tuned {run.Summary.BestIterationMs:0.00} ms vs baseline run {baselineMs:0.00} ms ({change:+0.00;-0.00;0.00} %, limit +{pct:0.##} %)");
            if (change > pct)
            {
                await error.WriteLineAsync($"regression: {line}");
                exit = ExitCodes.Regression;
            }
            else
            {
                await output.WriteLineAsync($"no regression: {line}");
            }
        }

        return exit;
    }
}
