using System.Text.Json.Nodes;
using CclAgent.Diagnosis.Classification;
using CclAgent.Incident.Classification;
using CclAgent.Incident.Scenarios;
using CclAgent.Incident.Signals;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Modeling;

/// <summary>
/// The world behind collect_post_telemetry: what the recorded system would show after a config change. Node faults
/// persist whatever the config (a config change does not heal an Xid 79); a start-up hang has no prediction; a CUDA
/// OOM clears when enough memory is given back; a serving slowdown goes through <see cref="ServingModel"/>.
/// </summary>
internal sealed class SystemModel(Scenario scenario)
{
    private static readonly string[] BatchKeys = ["max_num_seqs", "batch_size", "micro_batch_size"];

    private readonly Lazy<(Observations Observations, string Category)> _world = new(() =>
    {
        Observations o = ScenarioObservations.From(scenario);
        return (o, IncidentClassifier.Classify(o, CancellationToken.None).Category);
    });

    public JsonObject Predict(JsonObject updatedConfig)
    {
        if (scenario.PreTelemetry is not JsonObject pre)
        {
            return ToolResult.NoData("pre_telemetry.json is absent: the model has no baseline to predict from");
        }

        (Observations o, string category) = _world.Value;
        var notes = new JsonObject { ["world_state"] = category };
        JsonObject post;
        if (IncidentCategory.IsNodeFault(category))
        {
            notes["fault_persists"] = true;
            notes["reason"] = $"{category} is a fault of the node: no configuration change heals it, so telemetry stays as it was";
            post = (JsonObject)pre.DeepClone();
        }
        else if (category == IncidentCategory.EngineStartupHang)
        {
            return ToolResult.NoData("the engine never started: the model has no prediction for a restart");
        }
        else if (category == FailureCategory.CudaOom)
        {
            post = OutOfMemory(pre, o, Lookup(updatedConfig), notes);
        }
        else
        {
            post = Serving(o, pre).Predict(pre, Lookup(updatedConfig), notes);
        }

        return ToolResult.Success(new JsonObject { ["post_telemetry"] = post, ["model"] = notes });
    }

    /// <summary>The allocation fits once at least a tenth of the memory pool or half the batch is given back (docs/incident.md).</summary>
    private static JsonObject OutOfMemory(JsonObject pre, Observations o, Func<string, double?> updated, JsonObject notes)
    {
        bool memoryBack = updated("gpu_memory_utilization") is double g && o.ConfigValue("gpu_memory_utilization") is double g0 && g <= g0 - 0.05;
        bool smallerBatch = BatchKeys.Any(k => updated(k) is double v && o.ConfigValue(k) is double v0 && v <= v0 * 0.75);
        var post = (JsonObject)pre.DeepClone();
        bool fits = memoryBack || smallerBatch;
        notes["allocation_fits"] = fits;
        if (fits)
        {
            post["error_rate"] = 0.0;
        }

        return post;
    }

    private static ServingModel Serving(Observations o, JsonObject pre)
    {
        double p50 = ToolArgs.Number(pre, "latency_ms.p50") ?? 1000;
        double ttft = ToolArgs.Number(pre, "ttft_ms.p50") ?? (p50 / 2);
        double? queue = o.Breakdown("queue_ms");
        double? prefill = o.Breakdown("prefill_ms");
        double? decode = o.Breakdown("decode_ms");
        double preemptions = o.Preemptions;
        return new ServingModel
        {
            QueueMs = queue ?? 0,
            PrefillMs = prefill ?? ttft,
            DecodeMs = decode ?? Math.Max(1, p50 - ttft),
            Throughput = ToolArgs.Number(pre["throughput_rps"]) is double x && x > 0 ? x : 1,
            Running = o.Running ?? 1,
            Waiting = o.Waiting ?? 0,
            // vLLM's default max_num_seqs (256) when the config does not say.
            MaxNumSeqs = o.ConfigValue("max_num_seqs") ?? 256,
            MaxBatchedTokens = o.ConfigValue("max_num_batched_tokens"),
            GpuMemoryUtilization = o.ConfigValue("gpu_memory_utilization"),
            KvUsage = o.KvUsage,
            PreemptionsPerRequest = o.Derived("preemptions_per_request") ?? (preemptions > 0 ? 0.1 : 0),
        };
    }

    private static Func<string, double?> Lookup(JsonObject config) => key =>
        ToolArgs.Number(config["runtime"]?[key]) ?? ToolArgs.Number(config["config"]?[key]);
}
