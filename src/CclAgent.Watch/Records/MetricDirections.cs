namespace CclAgent.Watch.Records;

/// <summary>Infers a metric's direction from its name, like Keras' <c>mode="auto"</c>.</summary>
public static class MetricDirections
{
    private static readonly HashSet<string> NotQuality = ["runtime", "samples", "steps", "second", "epoch", "time", "memory", "lr", "step", "iter", "eta"];
    private static readonly HashSet<string> Lower = ["loss", "error", "err", "wer", "cer", "perplexity", "ppl", "mae", "mse", "rmse", "fid", "nll"];
    private static readonly HashSet<string> Higher = ["top1", "top5", "f1", "bleu", "rouge", "rouge1", "rouge2", "rougel", "iou", "miou", "dice", "auc", "precision", "recall", "pearson", "spearman", "score", "psnr", "ssim", "em", "exact", "mrr", "ndcg"];

    /// <summary>The direction of <paramref name="name"/>; <see cref="MetricDirection.Unknown"/> for runtimes, counters and unrecognised names.</summary>
    public static MetricDirection Infer(string name)
    {
        // Token matching, not substrings: "step" must not read as "ap", "eval_steps_per_second" is a rate.
        string[] tokens = name.ToLowerInvariant().Split(['/', '_', '.', '-', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Any(NotQuality.Contains))
        {
            return MetricDirection.Unknown;
        }

        if (tokens.Any(Lower.Contains))
        {
            return MetricDirection.LowerIsBetter;
        }

        return tokens.Any(IsHigherToken) ? MetricDirection.HigherIsBetter : MetricDirection.Unknown;
    }

    /// <summary>True when the metric is a quality metric worth tracking for "best".</summary>
    public static bool IsQuality(string name) => Infer(name) != MetricDirection.Unknown;

    private static bool IsHigherToken(string token) =>
        Higher.Contains(token)
        || token.StartsWith("map", StringComparison.Ordinal)
        || token.StartsWith("acc", StringComparison.Ordinal)
        || (token.StartsWith("ap", StringComparison.Ordinal) && token.Length <= 4);
}
