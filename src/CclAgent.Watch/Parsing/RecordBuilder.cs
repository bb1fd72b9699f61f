using System.Runtime.CompilerServices;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// Maps the field names the frameworks use (lr / learning_rate, grad_norm, memory / max_mem, total_loss…) onto
/// <see cref="MetricRecord"/>. One builder per line, or one per parser that <see cref="Reset"/>s it before each line
/// (the records it builds own copies of its lists, so reuse never leaks into them).
/// </summary>
internal sealed class RecordBuilder
{
    private List<Metric>? _losses;
    private List<Metric>? _eval;
    private string?[]? _lossNames;

    /// <summary>True when the whole line is an evaluation result, so every quality metric is an eval metric.</summary>
    public bool EvalContext { get; set; }

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

    /// <summary>Forgets the previous line so that the builder can read the next one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Reset(bool evalContext)
    {
        EvalContext = evalContext;
        Loss = LearningRate = GradNorm = MemoryMb = IterTime = DataTime = LossScale = Eta = Epoch = null;
        Step = MaxStep = null;
        HasTrain = HasFinal = false;
        _losses?.Clear();
        _eval?.Clear();
    }

    /// <summary>Adds a numeric field. Returns false when the name is not one watch uses.</summary>
    public bool Add(ReadOnlySpan<char> key, double value) => Add(key, FieldNames.Of(key), value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Add(ReadOnlySpan<char> key, Field field, double value)
    {
        if (key.Contains(' '))
        {
            // "Valid Loss" (a two-word key, see KeyValueScanner) means valid_loss.
            Span<char> joined = stackalloc char[Math.Min(key.Length, 64)];
            key[..joined.Length].ToLowerInvariant(joined);
            joined.Replace(' ', '_');
            return Add(joined, FieldNames.Of(joined), value);
        }

        if (IsEvalName(key) || (EvalContext && !IsBookkeeping(field)))
        {
            return AddEval(key, value);
        }

        if (field != Field.Other)
        {
            return AddKnown(field, value);
        }

        if (key.StartsWith("loss_", StringComparison.OrdinalIgnoreCase) || key.EndsWith("_loss", StringComparison.OrdinalIgnoreCase))
        {
            _losses ??= [];
            _losses.Add(new Metric(LossName(key, _losses.Count), value));
            return Train();
        }

        // Namespaced results such as "bbox/AP" (detectron2 metrics.json) are evaluation metrics too.
        return key.Contains('/') && AddEval(key, value);
    }

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>Adds a textual field (memory with a unit suffix, an ETA duration) or a number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        Field field = FieldNames.Of(key);
        if (field == Field.Eta)
        {
            if (Numbers.TryParseDuration(value, out double eta))
            {
                Eta = eta;
                return true;
            }

            return false;
        }

        if (field == Field.Memory)
        {
            if (Numbers.TryParseMegabytes(value, out double mb))
            {
                MemoryMb = mb;
                return true;
            }

            return false;
        }

        return Numbers.TryParse(value, out double number) && Add(key, field, number);
    }

    /// <summary>Adds an evaluation metric by name, when its name says it is a quality metric.</summary>
    public bool AddEval(ReadOnlySpan<char> key, double value)
    {
        string name = FieldNames.Intern(key);
        if (!MetricDirections.IsQuality(name))
        {
            return false;
        }

        (_eval ??= []).Add(new Metric(name, value));
        return true;
    }

    /// <summary>Marks the line as the end of training.</summary>
    public void MarkFinal() => HasFinal = true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        Losses = Snapshot(_losses),
        Eval = Snapshot(_eval),
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AddKnown(Field field, double value)
    {
        switch (field)
        {
            case Field.Loss:
                Loss = value;
                return Train();
            case Field.LearningRate:
                LearningRate = value;
                return Train();
            case Field.GradNorm:
                GradNorm = value;
                return Train();
            case Field.LossScale:
                LossScale = value;
                return Train();
            case Field.IterTime:
                IterTime = value;
                return Train();
            case Field.DataTime:
                DataTime = value;
                return true;
            case Field.Memory:
                MemoryMb = value;
                return true;
            case Field.Step:
                Step = (long)value;
                return true;
            case Field.Epoch:
                Epoch = value;
                return true;
            case Field.Final:
                HasFinal = true;
                return true;
            default:
                return false;
        }
    }

    private bool Train() => HasTrain = true;

    /// <summary>
    /// The interned name of the index-th sub-loss. Lines of one log name their sub-losses in the same order, so the name
    /// at the same place on the previous line is compared first, before the shared table is hashed.
    /// </summary>
    private string LossName(ReadOnlySpan<char> key, int index)
    {
        _lossNames ??= new string?[8];
        if (index < _lossNames.Length && _lossNames[index] is string previous && key.SequenceEqual(previous))
        {
            return previous;
        }

        string name = FieldNames.Intern(key);
        if (index < _lossNames.Length)
        {
            _lossNames[index] = name;
        }

        return name;
    }

    // A copy, not the list: a reused builder clears its lists for the next line.
    private static Metric[] Snapshot(List<Metric>? metrics) => metrics is { Count: > 0 } ? metrics.ToArray() : [];

    // Fields that describe the evaluation run rather than its result.
    private static bool IsBookkeeping(Field field) => field is Field.IterTime or Field.DataTime or Field.Eta or Field.Memory or Field.Step or Field.Epoch;

    // The first letter rules out most names before eight prefix comparisons (this runs for every pair of every line).
    private static bool IsEvalName(ReadOnlySpan<char> key) =>
        key.Length > 4 && (key[0] | 0x20) is 'e' or 'v' or 't' or 'c' or 'a' && IsEvalPrefix(key);

    private static bool IsEvalPrefix(ReadOnlySpan<char> key) =>
        key.StartsWith("eval_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("val_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("val/", StringComparison.OrdinalIgnoreCase) || key.StartsWith("valid_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("validation_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("test_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("coco/", StringComparison.OrdinalIgnoreCase) || key.StartsWith("accuracy/", StringComparison.OrdinalIgnoreCase);
}
