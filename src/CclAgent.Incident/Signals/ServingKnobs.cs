namespace CclAgent.Incident.Signals;

/// <summary>
/// The same scheduler and memory knobs under each serving engine's own name, so the rule table and the system model
/// work on vLLM, SGLang and TGI configs alike. The first name of each role is the canonical (vLLM) one the model uses.
/// Sources: vLLM engine arguments (docs.vllm.ai), SGLang server arguments (docs.sglang.ai, "Server Arguments"),
/// TGI launcher arguments (huggingface.co/docs/text-generation-inference, "Launcher arguments").
/// </summary>
internal static class ServingKnobs
{
    /// <summary>Share of GPU memory the engine reserves up front for weights and the KV pool.</summary>
    public static readonly string[] MemoryFraction = ["gpu_memory_utilization", "mem_fraction_static"];

    /// <summary>Most sequences decoded together in one step.</summary>
    public static readonly string[] MaxSequences = ["max_num_seqs", "max_running_requests", "max_batch_size"];

    /// <summary>Token budget of one scheduler step (prefill chunk).</summary>
    public static readonly string[] StepTokens = ["max_num_batched_tokens", "chunked_prefill_size", "max_batch_prefill_tokens"];

    /// <summary>Tokens of all running sequences together: TGI sizes its KV cache by it.</summary>
    public static readonly string[] BatchTotalTokens = ["max_batch_total_tokens"];

    /// <summary>A trainer's batch.</summary>
    public static readonly string[] TrainingBatch = ["batch_size", "micro_batch_size"];

    /// <summary>Data-loader worker processes: each holds its own batches (and often a dataset copy) in host RAM.</summary>
    public static readonly string[] HostWorkers = ["num_workers", "workers_per_gpu", "dataloader_num_workers"];

    /// <summary>The roles whose shrinking shrinks the memory one step needs, in the order a fix tries them.</summary>
    public static readonly string[][] BatchRoles = [MaxSequences, BatchTotalTokens, StepTokens, TrainingBatch];

    private static readonly string[][] Roles = [MemoryFraction, MaxSequences, StepTokens, BatchTotalTokens, TrainingBatch, HostWorkers];

    /// <summary>The role <paramref name="key"/> belongs to, or null.</summary>
    public static string[]? RoleOf(string key) => Roles.FirstOrDefault(r => r.Contains(key, StringComparer.Ordinal));
}
