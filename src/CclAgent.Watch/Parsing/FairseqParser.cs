using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// fairseq's <c>fairseq-train</c> output, old and new:
/// <list type="bullet">
/// <item>progress: <c>2023-06-13 17:35:41 | INFO | train_inner | epoch 145:     21 / 282 loss=3.12, nll_loss=1.209, ppl=8.69, wps=89594.4, ups=1.49, …, num_updates=40600,
/// lr=0.000156941, gnorm=0.48, clip=0, loss_scale=32768, train_wall=46, wall=0</c>, the older <c>| epoch 001:    450 / 1891 loss=11.521, …</c>
/// and the oldest <c>| epoch 010  2000 / 8223 loss=1.27 (1.50), wps=962, …</c>;</item>
/// <item>epoch averages: <c>train | epoch 144 | loss 3.122 | … | num_updates 40579 | …</c> (used only when no progress line came first, so
/// averages are not mixed into the per-interval series);</item>
/// <item>validation: <c>valid | epoch 145 | valid on 'valid' subset | loss 12.144 | nll_loss 10.956 | ppl 4525.39 | bleu 30.17 | … | num_updates 40860 | best_bleu 30.53</c>
/// (older: <c>| valid_loss 8.11425 | valid_ppl 118.06</c>, <c>| valid loss 1.94 | valid ppl 3.83</c>), read as <c>valid_loss</c>, <c>valid_bleu</c>…;</item>
/// <item><c>NOTE: overflow detected, setting loss scale to: 16384.0</c> (the fp16 loss scale) and
/// <c>saved checkpoint /path/checkpoint145.pt (epoch 145 @ 40860 updates, score 30.17)</c>.</item>
/// </list>
/// </summary>
public sealed class FairseqParser : ILogParser
{
    private const string Overflow = "overflow detected, setting loss scale to: ";
    private const string Saved = "saved checkpoint ";
    private const string ValidOn = "valid on '";

    private bool _sawProgress;
    private long? _step;

    public LogFormat Format => LogFormat.Fairseq;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text;
        int overflow = span.IndexOf(Overflow, StringComparison.Ordinal);
        if (overflow >= 0)
        {
            return ParseOverflow(span[(overflow + Overflow.Length)..], line, out record);
        }

        // Before the epoch lines: a checkpoint line also says "(epoch 145 @ …".
        int saved = span.IndexOf(Saved, StringComparison.Ordinal);
        if (saved >= 0)
        {
            return ParseCheckpoint(span[(saved + Saved.Length)..], line, out record);
        }

        int epoch = span.IndexOf("epoch ", StringComparison.Ordinal);
        return epoch >= 0 ? ParseEpochLine(span, epoch + 6, line, out record) : LineKind.Unknown;
    }

    private LineKind ParseEpochLine(ReadOnlySpan<char> text, int i, long line, out MetricRecord? record)
    {
        record = null;

        // fairseq pads the epoch to three digits: "epoch 001".
        int start = i;
        if (!LineText.TryReadLong(text, ref i, out long epoch) || i - start < 3)
        {
            return LineKind.Unknown;
        }

        ReadOnlySpan<char> rest = text[i..];
        int validOn = rest.IndexOf(ValidOn, StringComparison.Ordinal);
        if (validOn >= 0)
        {
            return ParseValid(rest[(validOn + ValidOn.Length)..], epoch, line, out record);
        }

        if (rest.StartsWith(':') || rest.StartsWith("  ", StringComparison.Ordinal))
        {
            return ParseProgress(rest.TrimStart(':'), epoch, line, out record);
        }

        return rest.TrimStart().StartsWith('|') ? ParseAverages(rest, epoch, line, out record) : LineKind.Unknown;
    }

    private LineKind ParseProgress(ReadOnlySpan<char> text, long epoch, long line, out MetricRecord? record)
    {
        record = null;
        int i = 0;
        if (!LineText.TryReadLong(text, ref i, out long index) || !LineText.TryExpect(text, ref i, " / ") || !LineText.TryReadLong(text, ref i, out long perEpoch))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Epoch = epoch };
        double? updatesPerSecond = null;
        Span<KeyValueSpan> pairs = stackalloc KeyValueSpan[64];
        int count = KeyValueScanner.Scan(text, i, pairs);
        foreach (KeyValueSpan pair in pairs[..count])
        {
            ReadOnlySpan<char> key = text.Slice(pair.KeyStart, pair.KeyLength);
            ReadOnlySpan<char> value = text.Slice(pair.ValueStart, pair.ValueLength);
            if (key is "ups" && Numbers.TryParse(value, out double ups))
            {
                updatesPerSecond = ups;
            }
            else if (key is not ("ppl" or "clip" or "oom" or "wall" or "train_wall"))
            {
                builder.Add(key, value);
            }
        }

        if (builder.Loss is null)
        {
            return LineKind.Unknown;
        }

        // Updates per second over the log interval: its inverse is the time per optimizer step.
        builder.IterTime ??= updatesPerSecond is > 0 and double u ? 1 / u : null;

        // The oldest format has no num_updates: the position within the epoch stands in for it.
        builder.Step ??= ((epoch - 1) * perEpoch) + index;
        _sawProgress = true;
        _step = builder.Step;
        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private LineKind ParseAverages(ReadOnlySpan<char> text, long epoch, long line, out MetricRecord? record)
    {
        record = null;
        if (_sawProgress)
        {
            // The end-of-epoch average repeats what the progress lines said.
            return LineKind.Progress;
        }

        var builder = new RecordBuilder { Epoch = epoch };
        foreach (Range part in text.Split('|'))
        {
            if (LineText.TryReadLabelled(text[part], out ReadOnlySpan<char> label, out ReadOnlySpan<char> value) && label is not ("ppl" or "train ppl" or "clip" or "oom" or "wall" or "train_wall"))
            {
                builder.Add(label is "train loss" ? "loss" : label, value);
            }
        }

        if (builder.Loss is null)
        {
            return LineKind.Unknown;
        }

        _step = builder.Step ?? _step;
        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private LineKind ParseValid(ReadOnlySpan<char> text, long epoch, long line, out MetricRecord? record)
    {
        record = null;
        int bar = text.IndexOf('|');
        if (bar < 0)
        {
            // "valid on 'valid' subset  1000 / 1311 loss=1.60": the validation loop's own progress.
            return LineKind.Progress;
        }

        var builder = new RecordBuilder { Epoch = epoch, Step = _step };
        ReadOnlySpan<char> fields = text[(bar + 1)..];
        foreach (Range part in fields.Split('|'))
        {
            if (LineText.TryReadLabelled(fields[part], out ReadOnlySpan<char> label, out ReadOnlySpan<char> value) && Numbers.TryParse(value, out double number))
            {
                AddValidField(builder, label, number);
            }
        }

        if (!builder.HasEval)
        {
            return LineKind.Unknown;
        }

        record = builder.Build(line, RecordKind.Eval, Format);
        return LineKind.Record;
    }

    private static void AddValidField(RecordBuilder builder, ReadOnlySpan<char> label, double value)
    {
        if (label is "num_updates" or "num updates")
        {
            builder.Step = (long)value;
            return;
        }

        // "best_bleu" is the best so far, not this evaluation; wps/wpb/bsz are throughput.
        if (label.StartsWith("best", StringComparison.Ordinal) || label is "wps" or "wpb" or "bsz" or "ups" or "wall")
        {
            return;
        }

        // "loss" → valid_loss; old logs already print "valid_loss" or "valid loss".
        int offset = label.StartsWith("valid", StringComparison.Ordinal) ? 0 : 6;
        Span<char> key = stackalloc char[label.Length + offset];
        "valid_".AsSpan(0, offset).CopyTo(key);
        label.Replace(key[offset..], ' ', '_');
        builder.AddEval(key, value);
    }

    private LineKind ParseOverflow(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        record = null;
        if (!Numbers.TryParse(text.Trim(), out double scale))
        {
            return LineKind.Unknown;
        }

        record = new RecordBuilder { Step = _step, LossScale = scale }.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private LineKind ParseCheckpoint(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        // "/path/checkpoint145.pt (epoch 145 @ 40860 updates, score 30.17) (writing took … seconds)"
        record = null;
        int open = text.IndexOf(" (epoch ", StringComparison.Ordinal);
        int at = text.IndexOf(" @ ", StringComparison.Ordinal);
        if (open <= 0 || at < open)
        {
            return LineKind.Unknown;
        }

        int i = at + 3;
        long? step = LineText.TryReadLong(text, ref i, out long updates) ? updates : _step;
        record = CheckpointRecord.Create(line, Format, step, text[..open]);
        return LineKind.Record;
    }
}
