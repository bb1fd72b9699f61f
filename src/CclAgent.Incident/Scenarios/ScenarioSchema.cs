namespace CclAgent.Incident.Scenarios;

/// <summary>The shape of each JSON file of a recorded scenario (docs/incident.md, "Scenario format").</summary>
internal static class ScenarioSchema
{
    private static readonly JsonShape Quantiles = JsonShape.Object(("p50", JsonShape.Number), ("p95", JsonShape.Number), ("p99", JsonShape.Number));

    public static JsonShape Meta { get; } = JsonShape.Object(
        ("name", JsonShape.String),
        ("description", JsonShape.String),
        ("service", JsonShape.Enum("vllm", "training", "other")),
        ("symptom", JsonShape.String),
        ("window", JsonShape.Object(("start", JsonShape.String), ("end", JsonShape.String))));

    public static JsonShape PreTelemetry { get; } = JsonShape.Object(
        ("latency_ms", Quantiles),
        ("ttft_ms", Quantiles),
        ("tpot_ms", Quantiles),
        ("throughput_rps", JsonShape.Number),
        ("error_rate", JsonShape.Number),
        ("gpu_util", JsonShape.Number));

    public static JsonShape Config { get; } = JsonShape.Object(
        ("config", JsonShape.ScalarMap),
        ("runtime", JsonShape.ScalarMap),
        ("version", JsonShape.String));

    public static JsonShape Runtime { get; } = JsonShape.Object(
        ("queue_depth", JsonShape.Integer),
        ("running", JsonShape.Integer),
        ("waiting", JsonShape.Integer),
        ("scheduler_backlog_ms", JsonShape.Number),
        ("worker_health", JsonShape.Object(("healthy", JsonShape.Integer), ("stuck", JsonShape.Integer))));

    public static JsonShape Gpus { get; } = JsonShape.Object(("gpus", JsonShape.ArrayOf(JsonShape.Object(
        ("id", JsonShape.Integer),
        ("util", JsonShape.Number),
        ("mem_util", JsonShape.Number),
        ("mem_used_gb", JsonShape.Number),
        ("mem_total_gb", JsonShape.Number),
        ("power_w", JsonShape.Number),
        ("power_limit_w", JsonShape.Number),
        ("temp_c", JsonShape.Number),
        ("sm_clock_mhz", JsonShape.Number),
        ("max_sm_clock_mhz", JsonShape.Number),
        ("clocks_throttle_reasons", JsonShape.ArrayOf(JsonShape.String))))));
}
