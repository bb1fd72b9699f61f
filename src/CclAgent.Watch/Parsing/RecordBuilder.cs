using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// Maps the field names the frameworks use (lr / learning_rate, grad_norm, memory / max_mem, total_loss…) onto
/// <see cref="MetricRecord"/>. One builder per line.
/// </summary>
internal sealed class RecordBuilder
{
    private List<Metric>? _losses;
    private List<Metric>? _eval;

    /// <summary>True when the whole line is an evaluation result, so every quality metric is an eval metric.</summary>
    public bool EvalContext { get; init; }

    public double? Loss { get; set; }

    public double? LearningRate { get; set; }

    public double? GradNorm { get; set; }

    public double? MemoryMb { get; set; }

    public double? IterTime { get; set; }

    public double? DataTime { get; set; }

    public double? LossScale { get; set; }

    public double? Eta { get; set; }

    public long? Step { get; set; }

    public long? MaxStep { get; set; }

    public double? Epoch { get; set; }

    /// <summary>True once a training field (loss, lr, grad norm, time…) was seen.</summary>
    public bool HasTrain { get; private set; }

    public bool HasEval => _eval is { Count: > 0 };

    /// <summary>True once an end-of-training field (train_runtime) was seen.</summary>
    public bool HasFinal { get; private set; }

    /// <summary>Adds a numeric field. Returns false when the name is not one watch uses.</summary>
    public bool Add(ReadOnlySpan<char> key, double value)
    {
        if (IsEvalName(key) || (EvalContext && !IsBookkeeping(key)))
        {
            if (!MetricDirections.IsQuality(key.ToString()))
            {
                return false;
            }

            (_eval ??= []).Add(new Metric(key.ToString(), value));
            return true;
        }

        if (AddTrain(key, value))
        {
            return true;
        }

        // Namespaced results such as "bbox/AP" (detectron2 metrics.json) are evaluation metrics too.
        if (key.Contains('/') && MetricDirections.IsQuality(key.ToString()))
        {
            (_eval ??= []).Add(new Metric(key.ToString(), value));
            return true;
        }

        return false;
    }

    /// <summary>Adds a textual field (memory with a unit suffix, an ETA duration) or a number.</summary>
    public bool Add(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        if (Is(key, "eta"))
        {
            if (Numbers.TryParseDuration(value, out double eta))
            {
                Eta = eta;
                return true;
            }

            return false;
        }

        if (IsMemory(key))
        {
            if (Numbers.TryParseMegabytes(value, out double mb))
            {
                MemoryMb = mb;
                return true;
            }

            return false;
        }

        return Numbers.TryParse(value, out double number) && Add(key, number);
    }

    public MetricRecord Build(long line, RecordKind kind, LogFormat format) => new()
    {
        Line = line,
        Kind = kind,
        Format = format,
        Step = Step,
        MaxStep = MaxStep,
        Epoch = Epoch,
        Loss = Loss,
        LearningRate = LearningRate,
        GradNorm = GradNorm,
        MemoryMb = MemoryMb,
        IterTimeSeconds = IterTime,
        DataTimeSeconds = DataTime,
        LossScale = LossScale,
        FrameworkEtaSeconds = Eta,
        Losses = (IReadOnlyList<Metric>?)_losses ?? [],
        Eval = (IReadOnlyList<Metric>?)_eval ?? [],
    };

    private bool AddTrain(ReadOnlySpan<char> key, double value)
    {
        if (Is(key, "loss") || Is(key, "total_loss") || Is(key, "train_loss"))
        {
            Loss = value;
            return Train();
        }

        if (Is(key, "lr") || Is(key, "learning_rate"))
        {
            LearningRate = value;
            return Train();
        }

        if (Is(key, "grad_norm") || Is(key, "gnorm") || Is(key, "total_norm") || Is(key, "grad_norm_total"))
        {
            GradNorm = value;
            return Train();
        }

        if (Is(key, "loss_scale") || Is(key, "grad_scale") || Is(key, "scaler") || Is(key, "loss_scaler"))
        {
            LossScale = value;
            return Train();
        }

        if (Is(key, "time") || Is(key, "iter_time") || Is(key, "step_time") || Is(key, "time_per_iter"))
        {
            IterTime = value;
            return Train();
        }

        if (Is(key, "data_time"))
        {
            DataTime = value;
            return true;
        }

        if (IsMemory(key))
        {
            MemoryMb = value;
            return true;
        }

        if (Is(key, "step") || Is(key, "iter") || Is(key, "iteration") || Is(key, "global_step"))
        {
            Step = (long)value;
            return true;
        }

        if (Is(key, "epoch"))
        {
            Epoch = value;
            return true;
        }

        if (Is(key, "train_runtime"))
        {
            HasFinal = true;
            return true;
        }

        if (key.StartsWith("loss_", StringComparison.OrdinalIgnoreCase) || key.EndsWith("_loss", StringComparison.OrdinalIgnoreCase))
        {
            (_losses ??= []).Add(new Metric(key.ToString(), value));
            return Train();
        }

        return false;
    }

    private bool Train() => HasTrain = true;

    private static bool Is(ReadOnlySpan<char> key, string name) => key.Equals(name, StringComparison.OrdinalIgnoreCase);

    private static bool IsMemory(ReadOnlySpan<char> key) => Is(key, "memory") || Is(key, "max_mem") || Is(key, "mem") || Is(key, "memory_mb") || Is(key, "max_memory_allocated");

    // Fields that describe the evaluation run rather than its result.
    private static bool IsBookkeeping(ReadOnlySpan<char> key) => Is(key, "time") || Is(key, "data_time") || Is(key, "eta") || IsMemory(key) || Is(key, "step") || Is(key, "epoch");

    private static bool IsEvalName(ReadOnlySpan<char> key) =>
        key.StartsWith("eval_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("val_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("val/", StringComparison.OrdinalIgnoreCase) || key.StartsWith("valid_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("validation_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("test_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("coco/", StringComparison.OrdinalIgnoreCase) || key.StartsWith("accuracy/", StringComparison.OrdinalIgnoreCase);
}
