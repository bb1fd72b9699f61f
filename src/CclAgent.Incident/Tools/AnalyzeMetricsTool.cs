using System.Text.Json.Nodes;
using CclAgent.Incident.Metrics;

namespace CclAgent.Incident.Tools;

/// <summary>
/// analyze_metrics: where a request's time goes (queueing, prefill, decode) from vLLM's histograms, with KV-cache
/// usage, preemption rate and the scheduler's running/waiting gauges; the largest share is the hotspot.
/// </summary>
internal sealed class AnalyzeMetricsTool : IIncidentTool
{
    public const string ToolName = "analyze_metrics";

    public string Name => ToolName;

    public string Description => "Break request latency into queueing, prefill and decode time from vLLM histogram buckets; derive KV-cache usage, preemption rate, running/waiting requests and TTFT/TPOT quantiles; name the hotspot.";

    public JsonObject ArgsSchema { get; } = ToolSchema.Object(
        ("pre_telemetry", ToolSchema.Of("object", "Pre-incident telemetry (latency_ms, ttft_ms, tpot_ms quantiles, throughput_rps, ...).")),
        ("samples", ToolSchema.ArrayOf("object", "Samples from fetch_prometheus_metrics: {name, labels, value}.")));

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<MetricSample> samples = Samples(args["samples"] as JsonArray);
        JsonObject? pre = args["pre_telemetry"] as JsonObject;
        if (samples.Count == 0 && pre is null)
        {
            return Task.FromResult<JsonNode>(ToolResult.NoData("neither metric samples nor pre_telemetry were given"));
        }

        return Task.FromResult<JsonNode>(ToolResult.Success(Analyze(samples, pre)));
    }

    /// <summary>The analysis itself, also used by the system model to parameterise itself from the same scrape.</summary>
    internal static JsonObject Analyze(List<MetricSample> samples, JsonObject? pre)
    {
        var derived = new JsonObject();
        JsonObject breakdown = Breakdown(samples, pre, derived);
        Derive(samples, derived);
        return new JsonObject
        {
            ["latency_breakdown"] = breakdown,
            ["derived_metrics"] = derived,
            ["hotspot"] = Hotspot(breakdown, derived),
        };
    }

    private static JsonObject Breakdown(List<MetricSample> samples, JsonObject? pre, JsonObject derived)
    {
        double? e2e = Histogram.From(samples, VllmMetricNames.E2e)?.Mean;
        double? queue = Histogram.From(samples, VllmMetricNames.QueueTime)?.Mean;
        double? prefill = Histogram.From(samples, VllmMetricNames.PrefillTime)?.Mean;
        double? decode = Histogram.From(samples, VllmMetricNames.DecodeTime)?.Mean;
        Histogram? ttft = Histogram.From(samples, VllmMetricNames.Ttft);
        string basis = "vllm_histograms";
        if (queue is null && prefill is null && decode is null)
        {
            // Older vLLM has no phase histograms: queueing+prefill is time to first token, decode the rest.
            double? first = ttft?.Mean ?? ToolArgs.Number(pre, "ttft_ms.p50") / 1000;
            double? total = e2e ?? ToolArgs.Number(pre, "latency_ms.p50") / 1000;
            prefill = first;
            decode = total is double t && first is double f ? Math.Max(0, t - f) : null;
            e2e = total;
            basis = ttft is not null ? "ttft_and_e2e_histograms" : "pre_telemetry";
        }

        var result = new JsonObject { ["basis"] = basis };
        Put(result, "queue_ms", queue * 1000);
        Put(result, "prefill_ms", prefill * 1000);
        Put(result, "decode_ms", decode * 1000);
        Put(result, "e2e_ms", e2e * 1000);
        double parts = (queue ?? 0) + (prefill ?? 0) + (decode ?? 0);
        if (parts > 0)
        {
            Put(result, "queue_share", (queue ?? 0) / parts);
            Put(result, "prefill_share", (prefill ?? 0) / parts);
            Put(result, "decode_share", (decode ?? 0) / parts);
        }

        if (ttft is not null)
        {
            Put(derived, "ttft_p95_ms", ttft.Quantile(0.95) * 1000);
        }

        return result;
    }

    private static void Derive(List<MetricSample> samples, JsonObject derived)
    {
        Put(derived, "e2e_p95_ms", Histogram.From(samples, VllmMetricNames.E2e)?.Quantile(0.95) * 1000);
        Put(derived, "tpot_p50_ms", VllmMetricNames.Tpot.Select(n => Histogram.From(samples, n)?.Quantile(0.5)).FirstOrDefault(v => v is not null) * 1000);
        double? kv = Gauge(samples, VllmMetricNames.KvUsage, max: true);
        Put(derived, "kv_cache_usage", kv);
        double? preemptions = Gauge(samples, VllmMetricNames.Preemptions, max: false);
        Put(derived, "preemptions_total", preemptions);
        double? finished = Gauge(samples, VllmMetricNames.Finished, max: false) ?? Histogram.From(samples, VllmMetricNames.E2e)?.Count;
        Put(derived, "requests_finished", finished);
        if (preemptions is double p && finished is double f && f > 0)
        {
            Put(derived, "preemptions_per_request", p / f);
        }

        Put(derived, "running", Gauge(samples, [VllmMetricNames.Running], max: false));
        Put(derived, "waiting", Gauge(samples, [VllmMetricNames.Waiting], max: false));
    }

    private static string Hotspot(JsonObject breakdown, JsonObject derived)
    {
        if (ToolArgs.Number(derived["kv_cache_usage"]) >= 0.9 && ToolArgs.Number(derived["preemptions_total"]) > 0)
        {
            return "kv_cache";
        }

        var shares = new[] { ("queueing", ToolArgs.Number(breakdown["queue_share"])), ("prefill", ToolArgs.Number(breakdown["prefill_share"])), ("decode", ToolArgs.Number(breakdown["decode_share"])) };
        var top = shares.Where(s => s.Item2 is not null).OrderByDescending(s => s.Item2).FirstOrDefault();
        return top.Item1 ?? "none";
    }

    /// <summary>Summed over label sets (a counter per model), or the largest (a usage fraction per engine).</summary>
    private static double? Gauge(List<MetricSample> samples, string[] names, bool max)
    {
        var values = samples.Where(s => names.Contains(s.Name) && double.IsFinite(s.Value)).Select(s => s.Value).ToList();
        return values.Count == 0 ? null : max ? values.Max() : values.Sum();
    }

    private static List<MetricSample> Samples(JsonArray? array)
    {
        var list = new List<MetricSample>();
        foreach (JsonObject item in array?.OfType<JsonObject>() ?? [])
        {
            string? name = item["name"]?.ToString();
            double? value = ToolArgs.Number(item["value"]) ?? (item["value"]?.ToString() == "+Inf" ? double.PositiveInfinity : null);
            if (name is null || value is null)
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string key, JsonNode? v) in item["labels"] as JsonObject ?? [])
            {
                labels[key] = v?.ToString() ?? string.Empty;
            }

            list.Add(new MetricSample(name, labels, value.Value, "untyped"));
        }

        return list;
    }

    private static void Put(JsonObject target, string name, double? value)
    {
        if (value is double d && double.IsFinite(d))
        {
            target[name] = Math.Round(d, 4);
        }
    }
}
