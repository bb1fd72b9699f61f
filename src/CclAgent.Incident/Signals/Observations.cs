using System.Text.Json.Nodes;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Signals;

/// <summary>Everything the gather rounds returned, in the shapes the classifier and the rule table read.</summary>
internal sealed class Observations
{
    public List<SignalLine> ServiceLines { get; } = [];

    public List<SignalLine> SystemLines { get; } = [];

    public JsonObject? Analysis { get; set; }

    public JsonObject? Config { get; set; }

    public JsonObject? Runtime { get; set; }

    public JsonObject? Gpus { get; set; }

    public JsonObject? PreTelemetry { get; set; }

    public ServingLogSignals Serving { get; } = new();

    public KernelTaskSignals Kernel { get; } = new();

    /// <summary>Adds a tool's numbered lines ({source?, line, text}) in reading order.</summary>
    public void AddLines(JsonArray? lines, string defaultSource, bool system)
    {
        foreach (JsonObject item in lines?.OfType<JsonObject>() ?? [])
        {
            var line = new SignalLine(item["source"]?.ToString() ?? defaultSource, (int)(ToolArgs.Number(item["line"]) ?? 0), item["text"]?.ToString() ?? string.Empty, ServiceLines.Count + SystemLines.Count);
            (system ? SystemLines : ServiceLines).Add(line);
            Serving.Inspect(line);
            if (system)
            {
                Kernel.Inspect(line);
            }
        }
    }

    public double? Derived(string name) => ToolArgs.Number(Analysis?["derived_metrics"]?[name]);

    public double? Breakdown(string name) => ToolArgs.Number(Analysis?["latency_breakdown"]?[name]);

    /// <summary>KV-cache usage 0–1: the scrape's gauge, else the highest the stats log line showed.</summary>
    public double? KvUsage => Derived("kv_cache_usage") ?? Serving.MaxLoggedKvUsage;

    public double Preemptions => Math.Max(Derived("preemptions_total") ?? 0, Serving.PreemptionEvents);

    public double? Waiting => ToolArgs.Number(Runtime?["waiting"]) ?? Derived("waiting") ?? Serving.MaxLoggedWaiting;

    public double? Running => ToolArgs.Number(Runtime?["running"]) ?? Derived("running") ?? Serving.LastLoggedRunning;

    public double? ConfigValue(string key) => ToolArgs.Number(Config?["runtime"]?[key]) ?? ToolArgs.Number(Config?["config"]?[key]);

    /// <summary>The first of <paramref name="role"/>'s names (<see cref="ServingKnobs"/>) the config has.</summary>
    public string? KeyOf(string[] role) => role.FirstOrDefault(k => TargetOf(k) is not null);

    /// <summary>The value of the first of <paramref name="role"/>'s names the config has.</summary>
    public double? Knob(string[] role) => KeyOf(role) is string key ? ConfigValue(key) : null;

    /// <summary>The config section ("config" or "runtime") holding <paramref name="key"/>, for a fix action's target.</summary>
    public string? TargetOf(string key) =>
        Config?["config"] is JsonObject c && c.ContainsKey(key) ? $"config.{key}"
        : Config?["runtime"] is JsonObject r && r.ContainsKey(key) ? $"runtime.{key}"
        : null;

    public IEnumerable<JsonObject> GpuList => (Gpus?["gpus"] as JsonArray)?.OfType<JsonObject>() ?? [];
}
