using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Core.Secrets;
using CclAgent.Core.Tracing;
using CclAgent.Incident.Modeling;
using CclAgent.Incident.Planning.Model;
using CclAgent.Incident.Planning;
using CclAgent.Incident.Reports;
using CclAgent.Incident.Scenarios;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Agent;

/// <summary>The composition of one incident run: scenario → tools → planner → result and artifacts.</summary>
public static class IncidentAgent
{
    /// <summary>Reads and validates a recorded scenario directory (IncidentInputException names file and JSON path).</summary>
    public static async Task<IncidentOutcome> RunRecordedAsync(string directory, IncidentRunOptions options, TimeProvider time, CancellationToken cancellationToken) =>
        await RunAsync(ScenarioReader.Read(directory), options, time, null, cancellationToken);

    /// <summary>Reads this host (absent sources answer no_data); null when not one source could be read.</summary>
    public static async Task<IncidentOutcome?> RunLiveAsync(Live.LiveSources sources, Live.IHostProbe probe, HttpClient http, IncidentRunOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        (Scenario scenario, int readable) = await Live.LiveScenarioReader.ReadAsync(sources, probe, http, cancellationToken);
        return readable == 0 ? null : await RunAsync(scenario, options, time, null, cancellationToken);
    }

    internal static async Task<IncidentOutcome> RunAsync(Scenario scenario, IncidentRunOptions options, TimeProvider time, Func<IReadOnlyList<IIncidentTool>, IReadOnlyList<IIncidentTool>>? wrapTools, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<IIncidentTool> tools = IncidentToolSet.Create(scenario);
        tools = wrapTools?.Invoke(tools) ?? tools;
        string? outDir = options.OutDirectory;
        using TraceWriter? trace = outDir is null ? null : new TraceWriter(Path.Combine(outDir, "trace", "events.jsonl"), options.RunId, time);
        var runner = new ToolRunner(tools, time, trace);
        var request = new IncidentRequest
        {
            PreTelemetry = scenario.PreTelemetry,
            Symptom = scenario.Meta?["symptom"]?.ToString(),
            MaxRounds = options.MaxRounds,
            Timeout = options.Timeout,
        };
        AgentResult result;
        string? fallback = null;
        int repeated;
        if (options.Model is { Settings.Enabled: true } model)
        {
            (result, fallback, repeated) = await RunModelAsync(scenario, request, model, tools, runner, options, time, cancellationToken);
        }
        else
        {
            using TraceSpan? span = trace?.BeginSpan("incident", "incident", "deterministic");
            result = await new DeterministicPlanner(runner).RunAsync(request, cancellationToken);
            span?.Complete();
            repeated = runner.RepeatedCalls;
        }

        string report = IncidentTextWriter.Render(result, scenario.Name);
        if (fallback is not null)
        {
            report += $"Model path fell back to the deterministic planner: {fallback}\n";
        }

        if (outDir is not null)
        {
            await WriteAsync(outDir, result, report, runner, cancellationToken);
        }

        return new IncidentOutcome(result, report, repeated, scenario.Name, fallback);
    }

    /// <summary>
    /// Path "model"; on a model failure, an invalid reply, the round cap or the timeout the deterministic planner
    /// answers instead (a fresh runner, so its calls are not refused as repeats), the reason is an agent_trace entry
    /// of tool "model", and when the model was cut short the validation is "unknown".
    /// </summary>
    private static async Task<(AgentResult Result, string? Fallback, int Repeated)> RunModelAsync(
        Scenario scenario, IncidentRequest request, Llm.Clients.ModelConnection model, IReadOnlyList<IIncidentTool> tools, ToolRunner runner,
        IncidentRunOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        long start = time.GetTimestamp();
        string? llm = options.OutDirectory is null ? null : Path.Combine(options.OutDirectory, "llm");
        ModelRun run;
        using (TraceSpan? span = runner.Trace?.BeginSpan("incident", "incident", "model"))
        {
            run = await new ModelPlanner(runner, model, time, llm).RunAsync(request, scenario.Config, cancellationToken);
            span?.Complete(run.Result is null ? "error" : "ok");
        }

        int refused = run.ModelCalls.Count(c => c.Error?["kind"]?.ToString() == "repeated_call");
        if (run.Result is not null)
        {
            return (run.Result, null, refused + runner.RepeatedCalls);
        }

        string reason = $"{run.FallbackKind}: {run.FallbackReason}";
        // The fallback is local computation (milliseconds); it keeps a short grace even when the model used the whole --timeout.
        TimeSpan? left = request.Timeout is TimeSpan limit ? Max(limit - time.GetElapsedTime(start), TimeSpan.FromSeconds(2)) : null;
        var deterministic = new ToolRunner(tools, time, runner.Trace);
        AgentResult d;
        using (TraceSpan? span = runner.Trace?.BeginSpan("incident", "incident", "deterministic"))
        {
            d = await new DeterministicPlanner(deterministic).RunAsync(request with { Timeout = left }, cancellationToken);
            span?.Complete();
        }

        var entry = new AgentTraceEntry(run.Rounds, "model", new JsonObject(), ToolStatus.Error, 0)
        {
            Error = new JsonObject { ["kind"] = run.FallbackKind, ["message"] = SecretRedactor.Redact(reason) },
        };
        ValidationResult validation = run.HitLimit
            ? new ValidationResult(ValidationStatus.Unknown, d.Validation.Deltas, $"the model was cut short ({run.FallbackKind}); deterministic fallback: {d.Validation.Summary}")
            : d.Validation;
        AgentResult result = d with { Validation = validation, AgentTrace = [.. run.ModelCalls, entry, .. d.AgentTrace] };
        return (result, SecretRedactor.Redact(reason), refused + deterministic.RepeatedCalls);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    public static string ToJson(AgentResult result) => JsonSerializer.Serialize(result, IncidentJsonContext.Default.AgentResult);

    private static async Task WriteAsync(string outDir, AgentResult result, string report, ToolRunner runner, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(outDir, "llm"));
        await File.WriteAllTextAsync(Path.Combine(outDir, "result.json"), ToJson(result) + "\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(outDir, "report.md"), report, cancellationToken);
        int n = 0;
        foreach (ModelView view in runner.ModelViews)
        {
            // What a model would be shown for each call: the deterministic path's prompt packs, masked and capped.
            string file = Path.Combine(outDir, "llm", $"call_{++n:D3}.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(view, IncidentJsonContext.Default.ModelView) + "\n", cancellationToken);
        }
    }
}
