using System.CommandLine;
using System.Globalization;
using CclAgent.Bench;
using CclAgent.Bench.Matrix;
using CclAgent.Bench.Results;
using CclAgent.Bench.Scenarios;
using CclAgent.Bench.Strategies;
using CclAgent.Core.Files;
using CclAgent.Core.Json;
using CclAgent.Core.Validation;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent bench`: compares tuning strategies on simulated clusters with the same budget, noise and seeds.</summary>
internal sealed class BenchCommand : Command
{
    private readonly Option<string[]> _scenarios = new("--scenarios") { Description = "Workload specs with a simulated cluster: directories (every *.json) and/or files.", Required = true, AllowMultipleArgumentsPerToken = true };
    private readonly Option<string> _strategies = new("--strategies") { Description = $"Comma-separated strategies: {string.Join(", ", StrategyCatalog.Names)}.", DefaultValueFactory = _ => "nccl-default,random,autoccl-cd,autoccl-cd-restart,ccl-agent" };
    private readonly Option<int> _seeds = new("--seeds") { Description = "Seeds per scenario (1-100).", DefaultValueFactory = _ => 5 };
    private readonly Option<int> _budget = new("--budget") { Description = "Trials (job runs) per strategy run (1-1000).", DefaultValueFactory = _ => 32 };
    private readonly Option<string> _out = new("--out") { Description = "Output directory for results.json, results.md, convergence.png and the runs.", DefaultValueFactory = _ => Path.Combine("artifacts", "bench") };
    private readonly Option<double?> _maxSeconds = new("--max-seconds") { Description = "Stop starting new runs after this many seconds (results so far are written)." };
    private readonly Option<bool> _memoryMatrix = new("--memory-matrix") { Description = "Instead of comparing strategies: for every ordered pair (A, B) of scenarios, run A (seed 1) into a fresh memory, then B with it and B cold; write memory-matrix.json/.md with the oracle fraction at trials 1, 2, 4, 8, 16." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No per-run progress on stderr." };
    private readonly TimeProvider _time;

    public BenchCommand(TimeProvider time)
        : base("bench", "Compare tuning strategies (NCCL default, random, AutoCCL-style descent, ccl-agent) against the exhaustive oracle on simulated clusters.")
    {
        _time = time;
        foreach (Option option in new Option[] { _scenarios, _strategies, _seeds, _budget, _out, _maxSeconds, _memoryMatrix, _quiet })
        {
            Options.Add(option);
        }

        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;
        string[] strategies = parse.GetValue(_strategies)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? unknown = strategies.FirstOrDefault(s => !StrategyCatalog.Names.Contains(s));
        int seeds = parse.GetValue(_seeds);
        int budget = parse.GetValue(_budget);
        double? maxSeconds = parse.GetValue(_maxSeconds);
        string? problem = unknown is not null ? $"--strategies: unknown strategy '{unknown}'; expected some of {string.Join(", ", StrategyCatalog.Names)}"
            : strategies.Length == 0 ? "--strategies: expected at least one strategy"
            : seeds is < 1 or > 100 ? $"--seeds: {seeds} is out of range; expected an integer in [1, 100]"
            : budget is < 1 or > 1000 ? $"--budget: {budget} is out of range; expected an integer in [1, 1000]"
            : maxSeconds is <= 0 ? $"--max-seconds: {maxSeconds} is out of range; expected a positive number"
            : null;
        if (problem is not null)
        {
            await error.WriteLineAsync("error: " + problem);
            return ExitCodes.InvalidInput;
        }

        (IReadOnlyList<BenchScenario> scenarios, IReadOnlyList<InputProblem> problems) = await ScenarioLoader.LoadAsync(parse.GetValue(_scenarios)!, cancellationToken);
        if (problems.Count > 0)
        {
            foreach (InputProblem p in problems.Take(20))
            {
                await error.WriteLineAsync($"error: {p}");
            }

            return ExitCodes.InvalidInput;
        }

        string outDir = parse.GetValue(_out)!;
        if (OutputProblem(outDir) is string outProblem)
        {
            await error.WriteLineAsync($"error: --out {outDir}: {outProblem}");
            return ExitCodes.InvalidInput;
        }

        string command = "ccl-agent " + string.Join(' ', parse.Tokens.Select(t => t.Value));
        bool quiet = parse.GetValue(_quiet);
        if (parse.GetValue(_memoryMatrix))
        {
            return await RunMemoryMatrixAsync(scenarios, budget, outDir, quiet ? _ => { } : line => error.WriteLine(line), output, cancellationToken);
        }

        var options = new BenchOptions(strategies, seeds, budget, outDir, maxSeconds, command);
        BenchReport report = await new BenchRunner(_time).RunAsync(scenarios, options, line =>
        {
            if (!quiet)
            {
                error.WriteLine(line);
            }
        }, cancellationToken);

        foreach (BenchAggregate a in report.Aggregates)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{a.Strategy,-16} {string.Join("  ", a.MeanOracleFractionAt.Select(kv => $"@{kv.Key} {kv.Value:0.0000}"))}  median-to-2% {a.MedianTrialsTo2pct:0.#}  hazardous {a.HazardousApplied}  risky {a.RiskyApplied}"));
        }

        await output.WriteLineAsync($"results: {Path.Combine(outDir, "results.json")}, {Path.Combine(outDir, "results.md")}, {Path.Combine(outDir, "convergence.png")} ({report.ElapsedSeconds:0.0} s{(report.TimedOut ? ", stopped at --max-seconds" : string.Empty)})");
        return ExitCodes.Success;
    }

    private async Task<int> RunMemoryMatrixAsync(IReadOnlyList<BenchScenario> scenarios, int budget, string outDir, Action<string> progress, TextWriter output, CancellationToken cancellationToken)
    {
        MemoryMatrixReport report = await new MemoryMatrix(_time).RunAsync(scenarios, budget, seed: 1, Path.Combine(outDir, "memory-matrix"), progress, cancellationToken);
        await ArtifactJson.WriteAsync(Path.Combine(outDir, "memory-matrix.json"), report, BenchJsonContext.Default.MemoryMatrixReport, CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(outDir, "memory-matrix.md"), MemoryMatrixMarkdown.Render(report), CancellationToken.None);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"memory matrix: {report.WorsePairs} of {report.Pairs.Count} pairs warm < cold - {report.Tolerance:0.###} somewhere; {Path.Combine(outDir, "memory-matrix.md")} ({report.ElapsedSeconds:0.0} s)"));
        return ExitCodes.Success;
    }

    /// <summary>Why results cannot be written to <paramref name="outDir"/> (a file, /proc, read-only), found before any run starts.</summary>
    private static string? OutputProblem(string outDir)
    {
        if (File.Exists(outDir))
        {
            return "is a file; expected a directory for the results";
        }

        try
        {
            Directory.CreateDirectory(outDir);
            string probe = Path.Combine(outDir, $".write-probe-{Environment.ProcessId}");
            File.WriteAllBytes(probe, new byte[1]);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot write there ({ex.Message}); expected a writable directory";
        }
    }
}
