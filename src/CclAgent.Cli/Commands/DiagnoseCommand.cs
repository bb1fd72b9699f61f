using System.CommandLine;
using System.Text.Json;
using CclAgent.Core.Files;
using CclAgent.Diagnosis;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Review;
using CclAgent.Diagnosis.Sources;
using CclAgent.Llm.Clients;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent diagnose`: root cause of a failed run from its logs, with evidence and ranked fixes.</summary>
internal sealed class DiagnoseCommand : Command
{
    private readonly Option<string[]> _log = new("--log", "-l") { Description = "Log to diagnose (repeatable): training stdout/stderr, NCCL_DEBUG output, dmesg/journal text, or a ccl-agent run directory.", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string?> _run = new("--run") { Description = "A ccl-agent run directory (or its run_context.json): its failed steps are diagnosed." };
    private readonly Option<string[]> _code = new("--code") { Description = "Training script(s) to check with the code rules (repeatable).", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _json = new("--json") { Description = "Print the diagnosis as JSON on stdout (schema: docs/diagnose.md)." };
    private readonly Option<bool> _llm = new("--llm") { Description = "Multi-turn model review on top of the deterministic verdict: analyze code, correlate errors with code, root cause, recommendations (docs/diagnose.md)." };
    private readonly Option<string?> _provider = new("--provider") { Description = "LLM provider for --llm: ollama (default; http://localhost:11434), openai (any OpenAI-compatible server; key from OPENAI_API_KEY or CCL_AGENT_API_KEY), anthropic (Messages API; key from ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY, server ANTHROPIC_BASE_URL or MINIMAX_BASE_URL), none. Env: CCL_AGENT_PROVIDER." };
    private readonly Option<string?> _model = new("--model") { Description = "LLM model name (default llama3.1 for ollama, gpt-4o-mini for openai). Env: CCL_AGENT_MODEL." };
    private readonly Option<string?> _llmEndpoint = new("--llm-endpoint") { Description = "Model server URL (ollama: http://host:11434; openai: https://host/v1). Env: CCL_AGENT_LLM_ENDPOINT." };
    private readonly Option<double?> _llmTimeout = new("--llm-timeout") { Description = "Seconds one model request may take before it is abandoned (default 60)." };
    private readonly Option<int> _maxTurns = new("--max-turns") { Description = "Most model requests of the --llm conversation, repairs included (default 4, one per stage).", DefaultValueFactory = _ => DiagnosisReviewer.DefaultMaxTurns };
    private readonly Option<string?> _out = new("--out") { Description = "Directory for the --llm prompt packs (llm/call_<n>.json); without it they stay in memory and the report summarizes them." };
    private readonly TimeProvider _time;

    public DiagnoseCommand(TimeProvider time)
        : base("diagnose", "Find the root cause of a failed or hung training run: evidence from logs, initiating cause vs cascades, ranked fixes.")
    {
        foreach (Option option in new Option[] { _log, _run, _code, _json, _llm, _provider, _model, _llmEndpoint, _llmTimeout, _maxTurns, _out })
        {
            Options.Add(option);
        }

        _time = time;
        _provider.AcceptOnlyFromAmong("none", "ollama", "openai", "anthropic");
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

        bool useLlm = parse.GetValue(_llm);
        int maxTurns = parse.GetValue(_maxTurns);
        if (maxTurns is < 1 or > 32)
        {
            await error.WriteLineAsync($"error: --max-turns: {maxTurns} is out of range; expected an integer in [1, 32]");
            return ExitCodes.InvalidInput;
        }

        LlmSettings? llm = null;
        if (useLlm)
        {
            string? problem;
            (llm, problem) = ResolveLlm(parse);
            if (llm is null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return ExitCodes.InvalidInput;
            }
        }

        DiagnosisReport report;
        try
        {
            List<LogSource> sources = Sources(logs, run);
            var options = new DiagnosisOptions { CodeFiles = CodeFiles(parse.GetValue(_code) ?? []) };
            report = await Task.Run(() => Diagnoser.Diagnose(sources, options, cancellationToken), cancellationToken);
            if (llm is not null)
            {
                // The verdict is final before the model is asked; the review only adds to the report.
                using ModelConnection connection = ChatClientFactory.Create(llm, Environment.GetEnvironmentVariable);
                report = await DiagnosisReviewer.ReviewAsync(report, options.CodeFiles, connection, maxTurns, parse.GetValue(_out), _time, m => error.WriteLine(m), cancellationToken);
            }
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

    /// <summary>Flags over environment over defaults, through the same resolver as tune; the API key is only ever read from the environment.</summary>
    private (LlmSettings? Settings, string? Problem) ResolveLlm(ParseResult parse)
    {
        double? timeout = parse.GetValue(_llmTimeout);
        if (timeout is <= 0 or > 3600)
        {
            return (null, $"--llm-timeout: {timeout} is out of range; expected seconds in (0, 3600]");
        }

        var commandLine = new LlmSettingsSources { Provider = parse.GetValue(_provider), Model = parse.GetValue(_model), Endpoint = parse.GetValue(_llmEndpoint), TimeoutSeconds = timeout };
        (LlmSettings? settings, IReadOnlyList<string> problems) = LlmSettingsResolver.Resolve(
            commandLine, LlmSettingsResolver.FromEnvironment(Environment.GetEnvironmentVariable), new LlmSettingsSources(), LlmSettingsResolver.ApiKeyVariable(Environment.GetEnvironmentVariable));
        return (settings, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    /// <summary>A training script that is a device or a FIFO would never finish reading: refused like a log.</summary>
    private static string[] CodeFiles(string[] files)
    {
        foreach (string file in files)
        {
            if (InputFile.Check(file, "a training script") is string refused)
            {
                throw new DiagnosisInputException($"--code {file}: {refused}");
            }
        }

        return files;
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
            else if (InputFile.Check(log, "a log file or a ccl-agent run directory") is string refused)
            {
                throw new DiagnosisInputException($"--log {log}: {refused}");
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

            if (!Directory.Exists(run) && InputFile.Check(run, "a ccl-agent run directory or its run_context.json", InputFile.MaxJsonBytes) is string refused)
            {
                throw new DiagnosisInputException($"--run {run}: {refused}");
            }

            sources.AddRange(RunDirectoryReader.ReadFailedSteps(run));
        }

        return sources;
    }
}
