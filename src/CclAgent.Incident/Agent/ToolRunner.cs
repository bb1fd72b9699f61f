using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Core.Tracing;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Agent;

/// <summary>
/// Runs tool calls for either planner: masks secrets in arguments and results, turns exceptions into structured
/// errors, refuses an identical repeated call, records agent_trace entries (TimeProvider durations) and one trace
/// span per call, and keeps the capped view a model would get.
/// </summary>
public sealed class ToolRunner
{
    private readonly Dictionary<string, IIncidentTool> _tools;
    private readonly TimeProvider _time;
    private readonly TraceWriter? _trace;
    private readonly HashSet<string> _calls = new(StringComparer.Ordinal);
    private readonly List<AgentTraceEntry> _entries = [];
    private readonly List<ModelView> _views = [];

    public ToolRunner(IEnumerable<IIncidentTool> tools, TimeProvider time, TraceWriter? trace = null)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _time = time;
        _trace = trace;
    }

    public IReadOnlyCollection<IIncidentTool> Tools => _tools.Values;

    public IReadOnlyList<AgentTraceEntry> Entries => _entries;

    public IReadOnlyList<ModelView> ModelViews => _views;

    /// <summary>Identical calls refused (they would only repeat what is known).</summary>
    public int RepeatedCalls { get; private set; }

    public TraceWriter? Trace => _trace;

    public async Task<JsonObject> CallAsync(int round, string name, JsonObject args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var maskedArgs = (JsonObject)SecretMasking.Mask(args.DeepClone())!;
        using TraceSpan? span = _trace?.BeginSpan("incident.tool", "incident", name, round, Payload(new JsonObject { ["tool"] = name, ["args"] = maskedArgs.DeepClone() }));
        long start = _time.GetTimestamp();
        JsonObject result;
        if (!_tools.TryGetValue(name, out IIncidentTool? tool))
        {
            result = ToolResult.Error("unknown_tool", $"no tool named '{name}'; tools: {string.Join(", ", _tools.Keys)}");
        }
        else if (!_calls.Add(name + " " + Canonical(args)))
        {
            RepeatedCalls++;
            result = ToolResult.Error("repeated_call", $"{name} was already called with these arguments in this run; use its earlier result");
        }
        else
        {
            result = await InvokeAsync(tool, args, cancellationToken);
        }

        result = (JsonObject)SecretMasking.Mask(result)!;
        double ms = Math.Round(_time.GetElapsedTime(start).TotalMilliseconds, 3);
        string status = ToolResult.StatusOf(result);
        _entries.Add(new AgentTraceEntry(round, name, maskedArgs, status, ms) { Error = result["error"]?.DeepClone() as JsonObject });
        _views.Add(new ModelView(round, name, ModelOutputCap.Cap(result)));
        span?.Complete(status == ToolStatus.Error ? "error" : "ok", Payload(new JsonObject { ["status"] = status, ["error"] = result["error"]?.DeepClone() }));
        return result;
    }

    private static async Task<JsonObject> InvokeAsync(IIncidentTool tool, JsonObject args, CancellationToken cancellationToken)
    {
        try
        {
            JsonNode node = await tool.InvokeAsync((JsonObject)args.DeepClone(), cancellationToken);
            return node as JsonObject ?? ToolResult.Error("invalid_result", $"{tool.Name} returned {node.GetValueKind()}, not an object");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failing tool is a result, not the end of the run: the planner carries on with what it has.
            return ToolResult.Error("tool_failed", $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Arguments with object keys sorted, so a reordered but identical call is still recognised.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => JsonSerializer.Serialize(kv.Key, IncidentJsonContext.Default.String) + ":" + Canonical(kv.Value))) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    private static JsonElement Payload(JsonObject payload) => JsonSerializer.SerializeToElement(payload, IncidentJsonContext.Default.JsonObject);
}
