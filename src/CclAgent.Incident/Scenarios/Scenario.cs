using System.Text.Json.Nodes;

namespace CclAgent.Incident.Scenarios;

/// <summary>A recorded incident: every part optional (null when its file is absent).</summary>
internal sealed class Scenario
{
    public required string Directory { get; init; }

    public JsonObject? Meta { get; init; }

    public JsonObject? PreTelemetry { get; init; }

    public JsonObject? Config { get; init; }

    public JsonObject? Runtime { get; init; }

    public JsonObject? Gpus { get; init; }

    public string? ServiceLog { get; init; }

    public string? DmesgLog { get; init; }

    public string? JournalLog { get; init; }

    public string? MetricsText { get; init; }

    /// <summary>The recorded window as "start/end", when scenario.json gives one.</summary>
    public string? Window => Meta?["window"] is System.Text.Json.Nodes.JsonObject w
        ? $"{w["start"]?.GetValue<string>()}/{w["end"]?.GetValue<string>()}"
        : null;

    /// <summary>Where the metrics came from: the scenario's metrics.prom, or a live endpoint.</summary>
    public string MetricsSource { get; init; } = "metrics.prom";

    public string Name => Meta?["name"]?.GetValue<string>() ?? Path.GetFileName(Directory.TrimEnd('/'));
}
