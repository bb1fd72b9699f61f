namespace CclAgent.Incident.Modeling;

/// <summary>
/// The ranges a simulated fix may set (vLLM engine arguments, docs.vllm.ai "Engine Arguments"; SGLang server arguments;
/// TGI launcher arguments; a trainer's batch size).
/// A key not listed here may still be changed when it exists in the config, to a finite positive number.
/// </summary>
internal static class ConfigLimits
{
    private static readonly Dictionary<string, (double Min, double Max)> Ranges = new(StringComparer.Ordinal)
    {
        // Above ~0.95 nothing is left for activations, CUDA graphs and other processes.
        ["gpu_memory_utilization"] = (0.05, 0.95),
        ["max_num_seqs"] = (1, 4096),
        ["max_num_batched_tokens"] = (16, 1_048_576),
        ["max_model_len"] = (16, 1_048_576),
        ["tensor_parallel_size"] = (1, 64),
        ["swap_space"] = (0, 1024),
        ["batch_size"] = (1, 65_536),
        ["micro_batch_size"] = (1, 65_536),
        ["num_workers"] = (0, 256),
        ["workers_per_gpu"] = (0, 256),
        ["dataloader_num_workers"] = (0, 256),
        ["mem_fraction_static"] = (0.05, 0.95),
        ["max_running_requests"] = (1, 4096),
        ["chunked_prefill_size"] = (16, 1_048_576),
        ["max_batch_size"] = (1, 4096),
        ["max_batch_prefill_tokens"] = (16, 1_048_576),
        ["max_batch_total_tokens"] = (16, 16_777_216),
    };

    /// <summary>Null when <paramref name="value"/> may be set for <paramref name="key"/>; else why not.</summary>
    public static string? Check(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            return "value is not a finite number";
        }

        if (Ranges.TryGetValue(key, out var range))
        {
            return value < range.Min || value > range.Max ? $"{value} is outside [{range.Min}, {range.Max}]" : null;
        }

        return value < 0 ? $"{value} is negative" : null;
    }
}
