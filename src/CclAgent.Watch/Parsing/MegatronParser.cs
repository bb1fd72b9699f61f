using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// Megatron-LM (and Megatron-DeepSpeed) <c>training_log</c>: <c> [2025-04-13 23:42:31] iteration      100/    1000 | consumed samples: 1600 |
/// elapsed time per iteration (ms): 869.1 | learning rate: 9.892558E-05 | global batch size: 16 | lm loss: 7.514787E+00 | loss scale: 4096.0 |
/// grad norm: 1.082 | … | number of skipped iterations: 0 | number of nan iterations: 0 |</c>, the evaluation
/// <c> validation loss at iteration 100 | lm loss value: 7.398865E+00 | lm loss PPL: 1.634128E+03 | </c> and
/// <c>saving checkpoint at iteration     100 to /path in torch_dist format</c>.
/// </summary>
public sealed class MegatronParser : ILogParser
{
    private const string Iteration = "iteration ";
    private const string Validation = "validation loss at ";
    private const string Saving = "saving checkpoint at iteration ";

    private long? _step;

    public LogFormat Format => LogFormat.Megatron;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text;
        int validation = span.IndexOf(Validation, StringComparison.Ordinal);
        if (validation >= 0)
        {
            return ParseValidation(span[(validation + Validation.Length)..], line, out record);
        }

        int saving = span.IndexOf(Saving, StringComparison.Ordinal);
        if (saving >= 0)
        {
            return ParseCheckpoint(span[(saving + Saving.Length)..], line, out record);
        }

        int at = span.IndexOf(Iteration, StringComparison.Ordinal);
        return at >= 0 && (at == 0 || span[at - 1] is ' ' or ']') ? ParseIteration(span, at + Iteration.Length, line, out record) : LineKind.Unknown;
    }

    private LineKind ParseIteration(ReadOnlySpan<char> text, int i, long line, out MetricRecord? record)
    {
        record = null;
        if (!LineText.TryReadLong(text, ref i, out long step) || !LineText.TryExpect(text, ref i, "/") || !LineText.TryReadLong(text, ref i, out long max))
        {
            return LineKind.Unknown;
        }

        i = LineText.SkipSpaces(text, i);
        if (i >= text.Length || text[i] != '|')
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = step, MaxStep = max };
        ReadOnlySpan<char> fields = text[(i + 1)..];
        foreach (Range part in fields.Split('|'))
        {
            if (LineText.TryReadLabelled(fields[part], out ReadOnlySpan<char> label, out ReadOnlySpan<char> value) && Numbers.TryParse(value, out double number))
            {
                ReadField(builder, label, number);
            }
        }

        // An iteration line always carries the learning rate and the time; lines without them are someone else's.
        if (builder.LearningRate is null && builder.IterTime is null)
        {
            return LineKind.Unknown;
        }

        _step = step;
        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private static void ReadField(RecordBuilder builder, ReadOnlySpan<char> label, double value)
    {
        switch (label)
        {
            case "lm loss":
                builder.Loss = value;
                break;
            case "learning rate":
                builder.LearningRate = value;
                break;
            case "elapsed time per iteration (ms)":
                builder.IterTime = value / 1000;
                break;
            case "loss scale":
                builder.LossScale = value;
                break;
            case "grad norm":
                builder.GradNorm = value;
                break;
            default:
                // Other losses of the model ("load_balancing_loss", "dummy loss") are sub-losses.
                if (label.EndsWith("loss", StringComparison.Ordinal) && !label.StartsWith("number", StringComparison.Ordinal))
                {
                    Span<char> name = stackalloc char[label.Length];
                    label.Replace(name, ' ', '_');
                    builder.Add(name, value);
                }

                break;
        }
    }

    private LineKind ParseValidation(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        record = null;
        int bar = text.IndexOf('|');
        if (bar < 0)
        {
            return LineKind.Unknown;
        }

        // "iteration 100", "iteration 1000 on validation set", "the end of training for val data".
        ReadOnlySpan<char> where = text[..bar];
        int i = where.StartsWith(Iteration, StringComparison.Ordinal) ? Iteration.Length : -1;
        long? step = i > 0 && LineText.TryReadLong(where, ref i, out long s) ? s : _step;
        var builder = new RecordBuilder { Step = step };
        ReadOnlySpan<char> fields = text[(bar + 1)..];
        foreach (Range part in fields.Split('|'))
        {
            if (LineText.TryReadLabelled(fields[part], out ReadOnlySpan<char> label, out ReadOnlySpan<char> value) && Numbers.TryParse(value, out double number))
            {
                AddEvaluation(builder, label, number);
            }
        }

        if (!builder.HasEval)
        {
            return LineKind.Unknown;
        }

        record = builder.Build(line, RecordKind.Eval, Format);
        return LineKind.Record;
    }

    private static void AddEvaluation(RecordBuilder builder, ReadOnlySpan<char> label, double value)
    {
        // "lm loss value" → val_lm_loss, "lm loss PPL" → val_lm_loss_ppl (both lower is better).
        ReadOnlySpan<char> name = label.EndsWith(" value", StringComparison.Ordinal) ? label[..^6] : label;
        Span<char> key = stackalloc char[name.Length + 4];
        "val_".CopyTo(key);
        name.Replace(key[4..], ' ', '_');
        builder.AddEval(key, value);
    }

    private LineKind ParseCheckpoint(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        record = null;
        int i = 0;
        if (!LineText.TryReadLong(text, ref i, out long step) || !LineText.TryExpect(text, ref i, " to "))
        {
            return LineKind.Unknown;
        }

        // "… to /path in torch_dist format" names the directory; older versions stop after the path.
        ReadOnlySpan<char> path = text[i..];
        int suffix = path.IndexOf(" in ", StringComparison.Ordinal);
        record = CheckpointRecord.Create(line, Format, step, suffix < 0 ? path : path[..suffix]);
        return LineKind.Record;
    }
}
