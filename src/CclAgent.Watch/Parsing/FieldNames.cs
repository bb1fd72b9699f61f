using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// The field names the frameworks print, mapped to what they mean, looked up by span without allocating.
/// Metric names that end up in records are interned so that the same sub-loss name is not allocated on every line.
/// </summary>
internal static class FieldNames
{
    private const int MaxInterned = 4096;

    private static readonly ConcurrentDictionary<string, string> Interned = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> InternedBySpan = Interned.GetAlternateLookup<ReadOnlySpan<char>>();

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>What <paramref name="key"/> means (case-insensitively), or <see cref="Field.Other"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Field Of(ReadOnlySpan<char> key)
    {
        Field field = Lowercase(key);
        if (field != Field.Other || key.Length > 32 || !key.ContainsAnyInRange('A', 'Z'))
        {
            return field;
        }

        Span<char> lower = stackalloc char[key.Length];
        key.ToLowerInvariant(lower);
        return Lowercase(lower);
    }

    // A switch on constant strings compiles to length and character tests: cheaper than hashing a span.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Field Lowercase(ReadOnlySpan<char> key) => key switch
    {
        "loss" or "total_loss" or "train_loss" => Field.Loss,
        "lr" or "learning_rate" or "train_lr" => Field.LearningRate,
        "grad_norm" or "gnorm" or "total_norm" or "grad_norm_total" => Field.GradNorm,
        "loss_scale" or "grad_scale" or "scaler" or "loss_scaler" => Field.LossScale,
        "time" or "iter_time" or "step_time" or "time_per_iter" => Field.IterTime,
        "data_time" => Field.DataTime,
        "memory" or "max_mem" or "mem" or "memory_mb" or "max_memory_allocated" => Field.Memory,
        "step" or "iter" or "iteration" or "global_step" or "num_updates" => Field.Step,
        "epoch" => Field.Epoch,
        "eta" => Field.Eta,
        "train_runtime" => Field.Final,
        _ => Field.Other,
    };

    /// <summary>The name as a string, shared across lines (bounded: a log with endless distinct names just allocates).</summary>
    public static string Intern(ReadOnlySpan<char> name)
    {
        if (InternedBySpan.TryGetValue(name, out string? known))
        {
            return known;
        }

        string text = name.ToString();
        return Interned.Count < MaxInterned ? Interned.GetOrAdd(text, text) : text;
    }
}
