using System.Text.Json.Nodes;
using CclAgent.Incident.Modeling;

namespace CclAgent.Incident.Tests.Modeling;

public sealed class ServingModelTests
{
    private static readonly JsonObject Pre = new()
    {
        ["latency_ms"] = new JsonObject { ["p50"] = 10000.0, ["p95"] = 30000.0, ["p99"] = 40000.0 },
        ["ttft_ms"] = new JsonObject { ["p50"] = 2000.0, ["p95"] = 8000.0, ["p99"] = 11000.0 },
        ["throughput_rps"] = 1.0,
    };

    /// <summary>A full cache with 8% of requests preempted and no queue; no usage was measured, only the preemptions.</summary>
    private static ServingModel Preempting() => new()
    {
        QueueMs = 0,
        PrefillMs = 2000,
        DecodeMs = 8000,
        Throughput = 1,
        Running = 8,
        Waiting = 0,
        MaxNumSeqs = 8,
        GpuMemoryUtilization = 0.85,
        KvUsage = null,
        PreemptionsPerRequest = 0.08,
    };

    [Fact]
    public void At_the_unchanged_config_the_model_reproduces_the_pre_telemetry()
    {
        JsonObject post = Preempting().Predict(Pre, _ => null, new JsonObject());

        JsonNode.DeepEquals(post, Pre).Should().BeTrue(post.ToJsonString());
    }

    [Fact]
    public void More_kv_memory_ends_preemption_and_shortens_the_tail_quantiles_more_than_the_median()
    {
        JsonObject post = Preempting().Predict(Pre, key => key == "gpu_memory_utilization" ? 0.9 : null, new JsonObject());

        double p50 = post["latency_ms"]!["p50"]!.GetValue<double>();
        double p95 = post["latency_ms"]!["p95"]!.GetValue<double>();
        (p95 / 30000).Should().BeLessThan(p50 / 10000);
        p95.Should().BeLessThan(30000 * 0.85);
    }
}
