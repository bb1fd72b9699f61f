namespace CclAgent.Incident.Metrics;

/// <summary>
/// vLLM's metric names (vllm-project/vllm docs/design/metrics.md), with the older spellings that real scrapes still
/// carry: gpu_cache_usage_perc before kv_cache_usage_perc, time_per_output_token before inter_token_latency.
/// </summary>
internal static class VllmMetricNames
{
    public const string E2e = "vllm:e2e_request_latency_seconds";
    public const string Ttft = "vllm:time_to_first_token_seconds";
    public const string QueueTime = "vllm:request_queue_time_seconds";
    public const string PrefillTime = "vllm:request_prefill_time_seconds";
    public const string DecodeTime = "vllm:request_decode_time_seconds";
    public const string Running = "vllm:num_requests_running";
    public const string Waiting = "vllm:num_requests_waiting";

    public static readonly string[] Tpot = ["vllm:time_per_output_token_seconds", "vllm:inter_token_latency_seconds"];
    public static readonly string[] KvUsage = ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"];
    public static readonly string[] Preemptions = ["vllm:num_preemptions_total", "vllm:num_preemptions"];
    public static readonly string[] Finished = ["vllm:request_success_total", "vllm:request_success"];
}
