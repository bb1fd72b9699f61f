using System.CommandLine;
using System.Globalization;
using CclAgent.Incident;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Live;
using CclAgent.Llm.Clients;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent incident`: a bounded tool-using agent for latency and hang incidents on GPU serving or training nodes.</summary>
internal sealed class IncidentCommand : Command
{
    private readonly Option<string?> _scenario = new("--scenario") { Description = "A recorded incident directory (scenario.json, pre_telemetry.json, logs/, metrics.prom, config.json, runtime.json, gpus.json; docs/incident.md)." };
    private readonly Option<bool> _live = new("--live") { Description = "Read this host instead: dmesg/journalctl and nvidia-smi when readable, --metrics-url, --service-config, --service-log." };
    private readonly Option<string?> _metricsUrl = new("--metrics-url") { Description = "--live: Prometheus endpoint to scrape (e.g. http://127.0.0.1:8000/metrics)." };
    private readonly Option<string?> _serviceConfig = new("--service-config") { Description = "--live: the service's config file in config.json's shape." };
    private readonly Option<string?> _serviceLog = new("--service-log") { Description = "--live: the service's log file." };
    private readonly Option<string?> _provider = new("--provider") { Description = "Planner: none (deterministic rule table; the default), ollama, openai, anthropic (path model, falls back to none on any model failure). Env: CCL_AGENT_PROVIDER." };
    private readonly Option<string?> _model = new("--model") { Description = "LLM model name. Env: CCL_AGENT_MODEL." };
    private readonly Option<string?> _llmEndpoint = new("--llm-endpoint") { Description = "Model server URL. Env: CCL_AGENT_LLM_ENDPOINT." };
    private readonly Option<int> _maxRounds = new("--max-rounds") { Description = "Hard cap on agent rounds, 1-10 (default 10).", DefaultValueFactory = _ => 10 };
    private readonly Option<double?> _timeout = new("--timeout") { Description = "Hard wall-clock bound in seconds; at it the best-effort result is returned (validation unknown)." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the AgentResult as JSON (schema: docs/incident.md)." };
    private readonly Option<string?> _out = new("--out") { Description = "Directory for result.json, report.md, trace/events.jsonl and llm/ (default artifacts/incident-<id>/)." };
    private readonly TimeProvider _time;

    public IncidentCommand(TimeProvider time)
        : base("incident", "Bounded agent for latency and hang incidents: gather telemetry, find the cause, simulate a fix, validate it (≤ 10 rounds).")
    {
        foreach (Option option in new Option[] { _scenario, _live, _metricsUrl, _serviceConfig, _serviceLog, _provider, _model, _llmEndpoint, _maxRounds, _timeout, _json, _out })
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
        string? scenario = parse.GetValue(_scenario);
        bool live = parse.GetValue(_live);
        if ((scenario is null) == !live)
        {
            await error.WriteLineAsync("error: give exactly one of --scenario DIR or --live");
            return ExitCodes.UsageError;
        }

        int maxRounds = parse.GetValue(_maxRounds);
        if (maxRounds is < 1 or > 10)
        {
            await error.WriteLineAsync($"error: --max-rounds: {maxRounds} is out of range; expected an integer in [1, 10]");
            return ExitCodes.InvalidInput;
        }

        double? timeout = parse.GetValue(_timeout);
        if (timeout is <= 0 or > 86400)
        {
            await error.WriteLineAsync($"error: --timeout: {timeout} is out of range; expected seconds in (0, 86400]");
            return ExitCodes.InvalidInput;
        }

        (LlmSettings? llm, string? problem) = ResolveLlm(parse);
        if (llm is null)
        {
            await error.WriteLineAsync($"error: {problem}");
            return ExitCodes.InvalidInput;
        }

        using ModelConnection connection = ChatClientFactory.Create(llm, Environment.GetEnvironmentVariable);

        string id = (scenario is null ? "live" : Path.GetFileName(Path.TrimEndingDirectorySeparator(scenario))) + "-" + _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var options = new IncidentRunOptions
        {
            MaxRounds = maxRounds,
            Timeout = timeout is double s ? TimeSpan.FromSeconds(s) : null,
            OutDirectory = parse.GetValue(_out) ?? Path.Combine("artifacts", "incident-" + id),
            RunId = "incident-" + id,
            Model = connection,
        };

        IncidentOutcome outcome;
        try
        {
            if (scenario is not null)
            {
                outcome = await IncidentAgent.RunRecordedAsync(scenario, options, _time, cancellationToken);
            }
            else
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var sources = new LiveSources
                {
                    MetricsUrl = parse.GetValue(_metricsUrl) is string url ? new Uri(url) : null,
                    ServiceConfig = parse.GetValue(_serviceConfig),
                    ServiceLog = parse.GetValue(_serviceLog),
                };
                IncidentOutcome? read = await IncidentAgent.RunLiveAsync(sources, new ProcessHostProbe(), http, options, _time, cancellationToken);
                if (read is null)
                {
                    await error.WriteLineAsync("error: --live: no source could be read (dmesg, journalctl, nvidia-smi, --metrics-url, --service-config, --service-log)");
                    return ExitCodes.JobFailed;
                }

                outcome = read;
            }
        }
        catch (IncidentInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (UriFormatException ex)
        {
            await error.WriteLineAsync($"error: --metrics-url: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot read or write: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        if (outcome.Fallback is not null)
        {
            await error.WriteLineAsync($"model path failed ({outcome.Fallback}); the deterministic planner answered");
        }

        await parse.InvocationConfiguration.Output.WriteAsync(parse.GetValue(_json) ? IncidentAgent.ToJson(outcome.Result) + Environment.NewLine : outcome.Report);
        return ExitCodes.Success;
    }

    /// <summary>Flags over environment (CCL_AGENT_*, ANTHROPIC_*, MINIMAX_*); no provider anywhere means the deterministic planner.</summary>
    private (LlmSettings? Settings, string? Problem) ResolveLlm(ParseResult parse)
    {
        Func<string, string?> env = Environment.GetEnvironmentVariable;
        var commandLine = new LlmSettingsSources
        {
            Provider = parse.GetValue(_provider) ?? env(LlmSettingsResolver.ProviderVariable) ?? "none",
            Model = parse.GetValue(_model),
            Endpoint = parse.GetValue(_llmEndpoint),
        };
        (LlmSettings? settings, IReadOnlyList<string> problems) = LlmSettingsResolver.Resolve(
            commandLine, LlmSettingsResolver.FromEnvironment(env), new LlmSettingsSources(), LlmSettingsResolver.ApiKeyVariable(env));
        return (settings, problems.Count == 0 ? null : string.Join("; ", problems));
    }
}
