using System.Text.Json;
using CclAgent.Core.Tracing;
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
        using (TraceSpan? span = trace?.BeginSpan("incident", "incident", "deterministic"))
        {
            result = await new DeterministicPlanner(runner).RunAsync(request, cancellationToken);
            span?.Complete();
        }

        string report = IncidentTextWriter.Render(result, scenario.Name);
        if (outDir is not null)
        {
            await WriteAsync(outDir, result, report, runner, cancellationToken);
        }

        return new IncidentOutcome(result, report, runner.RepeatedCalls, scenario.Name);
    }

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
