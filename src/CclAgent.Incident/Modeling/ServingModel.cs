using System.Text.Json.Nodes;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Modeling;

/// <summary>
/// A vLLM-like server as a queueing system, parameterised from the pre-incident telemetry, scheduler state and
/// config; predicts post-fix telemetry for a changed config. At the unchanged config it reproduces the pre
/// telemetry exactly. Equations, assumptions and sources: docs/incident.md, "System model".
/// </summary>
internal sealed class ServingModel
{
    /// <summary>Share of vLLM's memory pool held by weights and activations (the rest is KV cache); an assumption.</summary>
    private const double NonKvShare = 0.6;

    /// <summary>Growth of one decode step with batch size: memory-bound decode reads the weights once per step.</summary>
    private const double DecodeBatchCost = 0.25;

    public required double QueueMs { get; init; }
    public required double PrefillMs { get; init; }
    public required double DecodeMs { get; init; }
    public required double Throughput { get; init; }
    public required double Running { get; init; }
    public required double Waiting { get; init; }
    public required double MaxNumSeqs { get; init; }
    public double? MaxBatchedTokens { get; init; }
    public double? GpuMemoryUtilization { get; init; }
    public double? KvUsage { get; init; }
    public double PreemptionsPerRequest { get; init; }

    /// <summary>Post-fix telemetry: <paramref name="pre"/>'s fields scaled by the model's latency and throughput ratios.</summary>
    public JsonObject Predict(JsonObject pre, Func<string, double?> updated, JsonObject notes)
    {
        double seqs = updated("max_num_seqs") ?? MaxNumSeqs;
        double tokens = updated("max_num_batched_tokens") ?? MaxBatchedTokens ?? 1;
        double g0 = GpuMemoryUtilization ?? 0.9;
        double g = updated("gpu_memory_utilization") ?? g0;

        // KV pool ∝ g·M − F with F = NonKvShare·g0·M (weights + activations fixed by the model, not by g).
        double pool = Math.Max(0.05, (g - (NonKvShare * g0)) / ((1 - NonKvShare) * g0));
        double n = Math.Max(1, Running);
        double demand = n + Waiting;

        // A preemption happens only when a block cannot be allocated: with preemptions seen and no usage measured at
        // that moment (or a sample taken after it drained), the cache was full then.
        double u = PreemptionsPerRequest > 0 && KvUsage is not >= 0.9 ? 0.99 : KvUsage ?? 0.5;

        // The binding limit of the baseline grows by its own ratio; the others cap it.
        double growth = Waiting <= 0 ? 1
            : n >= 0.9 * MaxNumSeqs ? seqs / MaxNumSeqs
            : u >= 0.9 ? pool
            : tokens / (MaxBatchedTokens ?? tokens);
        double kvCap = u > 0 ? n * pool * Math.Max(1, 0.95 / u) : double.PositiveInfinity;
        double active = Math.Max(1, Math.Min(Math.Min(demand, seqs), Math.Min(n * growth, kvCap)));
        if (Waiting <= 0)
        {
            active = Math.Min(n, seqs);
        }

        double u2 = Math.Min(1, u * (active / n) / pool);
        double preempt = u >= 0.9
            ? PreemptionsPerRequest * Math.Clamp((u2 - 0.9) / Math.Max(0.01, u - 0.9), 0, 2)
            : u2 >= 0.95 ? 0.05 : 0;

        double prefill = PrefillMs * Math.Sqrt(Math.Clamp((MaxBatchedTokens ?? tokens) / tokens, 0.5, 2));
        double tpotRatio = 1 + (DecodeBatchCost * ((active / n) - 1));
        double decode = DecodeMs * tpotRatio;
        double service0 = (PrefillMs * (1 + PreemptionsPerRequest)) + DecodeMs;
        double service = (prefill * (1 + preempt)) + decode;

        double lambda = Waiting > 0 ? Throughput * demand / n : Throughput;
        double capacity = Throughput * (active / n) * (service0 / service);
        double throughput = Math.Min(lambda, capacity);
        double backlog = Math.Max(0, demand - active);
        double queue = Waiting <= 0 ? QueueMs * (service / service0)
            : backlog > 0 ? QueueMs * (backlog / Waiting) * (Throughput / Math.Max(1e-9, throughput))
            : Sakasegawa(service, active, lambda / Math.Max(1e-9, capacity));

        double e2e0 = QueueMs + service0;
        double e2e = queue + service;
        double first0 = QueueMs + (PrefillMs * (1 + PreemptionsPerRequest));
        double first = queue + (prefill * (1 + preempt));
        notes["active_sequences"] = Math.Round(active, 1);
        notes["kv_cache_usage"] = Math.Round(u2, 3);
        notes["preemptions_per_request"] = Math.Round(preempt, 3);
        notes["queue_ms"] = Math.Round(queue, 1);
        notes["service_ms"] = Math.Round(service, 1);

        // Preemption hits the tail, not the mean: the share r of requests that is preempted waits for blocks to free
        // (about half a decode) and recomputes its prefill, so a quantile q above 1 − r is a preempted request's latency.
        double tail = (e2e0 + PrefillMs + (DecodeMs / 2)) / e2e0;
        notes["preempted_share"] = Math.Round(Math.Min(1, preempt), 3);

        var post = (JsonObject)pre.DeepClone();
        Scale(post, "latency_ms", e2e / e2e0);
        ScaleTail(post, "latency_ms", Math.Min(1, PreemptionsPerRequest), Math.Min(1, preempt), tail);
        Scale(post, "ttft_ms", first / Math.Max(1e-9, first0));
        Scale(post, "tpot_ms", tpotRatio);
        if (ToolArgs.Number(post["throughput_rps"]) is double x)
        {
            post["throughput_rps"] = Math.Round(x * throughput / Throughput, 3);
        }

        return post;
    }

    /// <summary>Sakasegawa (1977) M/M/c waiting time: Wq ≈ S·ρ^(√(2(c+1))−1) / (c(1−ρ)).</summary>
    private static double Sakasegawa(double serviceMs, double servers, double rho)
    {
        double r = Math.Clamp(rho, 0, 0.99);
        return serviceMs * Math.Pow(r, Math.Sqrt(2 * (servers + 1)) - 1) / (servers * (1 - r));
    }

    /// <summary>Each quantile that moves from the preempted share to the rest (or back) loses (or gains) the preemption's cost.</summary>
    private static void ScaleTail(JsonObject telemetry, string field, double share0, double share1, double tail)
    {
        if (telemetry[field] is not JsonObject quantiles)
        {
            return;
        }

        foreach (string q in quantiles.Select(kv => kv.Key).ToList())
        {
            double level = q switch { "p50" => 0.5, "p95" => 0.95, "p99" => 0.99, _ => 1 };
            bool before = share0 >= 1 - level;
            bool after = share1 >= 1 - level;
            if (before != after && ToolArgs.Number(quantiles[q]) is double v)
            {
                quantiles[q] = Math.Round(before ? v / tail : v * tail, 2);
            }
        }
    }

    private static void Scale(JsonObject telemetry, string field, double ratio)
    {
        if (telemetry[field] is not JsonObject quantiles)
        {
            return;
        }

        foreach (string q in quantiles.Select(kv => kv.Key).ToList())
        {
            if (ToolArgs.Number(quantiles[q]) is double v)
            {
                quantiles[q] = Math.Round(v * ratio, 2);
            }
        }
    }
}
