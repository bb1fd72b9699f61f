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
            post = OutOfMemory(pre, o, Lookup(updatedConfig, o), notes);
        }
        else
        {
            post = Serving(o, pre, scenario).Predict(pre, Lookup(updatedConfig, o), notes);
        }

        return ToolResult.Success(new JsonObject { ["post_telemetry"] = post, ["model"] = notes });
    }

    /// <summary>The allocation fits once at least a tenth of the memory pool or half the batch is given back (docs/incident.md).</summary>
    private static JsonObject OutOfMemory(JsonObject pre, Observations o, Func<string, double?> updated, JsonObject notes)
    {
        bool memoryBack = updated("gpu_memory_utilization") is double g && o.Knob(ServingKnobs.MemoryFraction) is double g0 && g <= g0 - 0.05;
        bool smallerBatch = ServingKnobs.BatchRoles.Any(role => role.Any(k => updated(k) is double v && o.ConfigValue(k) is double v0 && v <= v0 * 0.75));
        var post = (JsonObject)pre.DeepClone();
        bool fits = memoryBack || smallerBatch;
        notes["allocation_fits"] = fits;
        if (fits)
        {
            post["error_rate"] = 0.0;
        }

        return post;
    }

    private static ServingModel Serving(Observations o, JsonObject pre, Scenario scenario)
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
            MaxNumSeqs = o.Knob(ServingKnobs.MaxSequences) ?? 256,
            MaxBatchedTokens = o.Knob(ServingKnobs.StepTokens),
            GpuMemoryUtilization = o.Knob(ServingKnobs.MemoryFraction),
            KvUsage = o.KvUsage,
            PreemptionsPerRequest = o.Derived("preemptions_per_request") ?? PerRequest(preemptions, pre, scenario),
        };
    }

    /// <summary>
    /// Preemptions per request when the scrape has no counters: the logged preemption events over the requests the
    /// window served (throughput × window length); 0.1 when the window or the throughput is unknown (an assumption).
    /// </summary>
    private static double PerRequest(double preemptions, JsonObject pre, Scenario scenario)
    {
        if (preemptions <= 0)
        {
            return 0;
        }

        bool timed = DateTimeOffset.TryParse(scenario.Meta?["window"]?["start"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset start)
            & DateTimeOffset.TryParse(scenario.Meta?["window"]?["end"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset end);
        double served = timed && ToolArgs.Number(pre["throughput_rps"]) is double x && x > 0 ? x * (end - start).TotalSeconds : 0;
        return served >= 1 ? Math.Round(Math.Min(2, preemptions / served), 4) : 0.1;
    }

    /// <summary>
    /// A value of the updated config by name; a canonical (vLLM) name reads the engine's own key of the same role, so the
    /// model sees an SGLang mem_fraction_static change as a gpu_memory_utilization change.
    /// </summary>
    private static Func<string, double?> Lookup(JsonObject config, Observations o) => name =>
    {
        string key = ServingKnobs.RoleOf(name) is string[] role && role[0] == name ? o.KeyOf(role) ?? name : name;
        return ToolArgs.Number(config["runtime"]?[key]) ?? ToolArgs.Number(config["config"]?[key]);
    };
}
