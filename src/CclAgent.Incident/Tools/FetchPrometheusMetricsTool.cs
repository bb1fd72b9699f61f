using System.Text.Json.Nodes;
using CclAgent.Incident.Metrics;
using CclAgent.Incident.Scenarios;

namespace CclAgent.Incident.Tools;

/// <summary>fetch_prometheus_metrics: a Prometheus text exposition (vLLM's /metrics), parsed into samples.</summary>
internal sealed class FetchPrometheusMetricsTool(Scenario scenario) : IIncidentTool
{
    public const string ToolName = "fetch_prometheus_metrics";

    public string Name => ToolName;

    public string Description => "Read the service's Prometheus metrics (text exposition, e.g. vLLM /metrics) and parse them into samples {name, labels, value}, histograms as _bucket/_sum/_count series.";

    public JsonObject ArgsSchema { get; } = ToolSchema.Object(
        ("endpoint", ToolSchema.Of("string", "Ignored for a recorded scenario; the live endpoint is fixed by --metrics-url.")));

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (scenario.MetricsText is not string text)
        {
            return Task.FromResult<JsonNode>(ToolResult.NoData($"{scenario.MetricsSource} is absent"));
        }

        var (samples, _, malformed) = PrometheusTextParser.Parse(text);
        var array = new JsonArray();
        foreach (MetricSample sample in samples)
        {
            var labels = new JsonObject();
            foreach ((string key, string value) in sample.Labels)
            {
                labels[key] = value;
            }

            array.Add(new JsonObject { ["name"] = sample.Name, ["labels"] = labels, ["value"] = JsonNumber(sample.Value) });
        }

        return Task.FromResult<JsonNode>(ToolResult.Success(new JsonObject
        {
            ["endpoint"] = scenario.MetricsSource,
            ["raw_text"] = text,
            ["samples"] = array,
            ["malformed_lines"] = malformed,
        }));
    }

    /// <summary>JSON has no infinity: +Inf bucket bounds and NaN gauges travel as strings, as Prometheus writes them.</summary>
    internal static JsonNode JsonNumber(double value) =>
        double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf");
}
