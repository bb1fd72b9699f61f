using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// karpathy/nanoGPT's <c>train.py</c> (<c>iter 100: loss 4.2490, time 35392.33ms, mfu 13.85%</c>, the evaluation
/// <c>step 3000: train loss 4.0390, val loss 4.0427</c>, <c>saving checkpoint to out</c>) and modded-nanogpt's speedrun
/// lines (<c>step:125/5100 train_loss:5.1188 train_time:20289ms step_avg:176.42ms</c>, <c>step:125/5100 val_loss:4.9493 …</c>).
/// A timestamp in front (<c>2023-03-22 09:30:39 iter 2920: …</c>) is allowed.
/// </summary>
public sealed class NanoGptParser : ILogParser
{
    private const string SavingCheckpoint = "saving checkpoint to ";

    private long? _lastStep;

    public LogFormat Format => LogFormat.NanoGpt;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text;
        int colonStep = span.IndexOf("step:", StringComparison.Ordinal);
        if (colonStep >= 0 && (colonStep == 0 || span[colonStep - 1] == ' '))
        {
            return ParseSpeedrun(span, colonStep + 5, line, out record);
        }

        int iter = span.IndexOf("iter ", StringComparison.Ordinal);
        if (iter >= 0 && (iter == 0 || span[iter - 1] == ' '))
        {
            return ParseTrain(span, iter + 5, line, out record);
        }

        int step = span.IndexOf("step ", StringComparison.Ordinal);
        if (step >= 0 && (step == 0 || span[step - 1] == ' '))
        {
            return ParseEval(span, step + 5, line, out record);
        }

        if (span.StartsWith(SavingCheckpoint, StringComparison.Ordinal))
        {
            record = CheckpointRecord.Create(line, Format, _lastStep, span[SavingCheckpoint.Length..]);
            return LineKind.Record;
        }

        return LineKind.Unknown;
    }

    private LineKind ParseTrain(ReadOnlySpan<char> text, int i, long line, out MetricRecord? record)
    {
        record = null;
        if (!LineText.TryReadLong(text, ref i, out long iteration) || !LineText.TryExpect(text, ref i, ": "))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = iteration };
        foreach (Range part in text[i..].Split(','))
        {
            ReadOnlySpan<char> segment = text[i..][part];
            if (!LineText.TryReadLabelled(segment, out ReadOnlySpan<char> label, out ReadOnlySpan<char> value))
            {
                continue;
            }

            if (label is "time" && LineText.TryParseSeconds(value, out double seconds))
            {
                builder.IterTime = seconds;
            }
            else if (label is "loss" or "lr" && Numbers.TryParse(value, out double number))
            {
                builder.Add(label, number);
            }
        }

        // "iter 5: something" from another program is not a training line: nanoGPT always prints the loss.
        if (builder.Loss is null)
        {
            return LineKind.Unknown;
        }

        _lastStep = iteration;
        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private LineKind ParseEval(ReadOnlySpan<char> text, int i, long line, out MetricRecord? record)
    {
        record = null;
        if (!LineText.TryReadLong(text, ref i, out long step) || !LineText.TryExpect(text, ref i, ": "))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder();
        foreach (Range part in text[i..].Split(','))
        {
            // The "train loss" of an evaluation is an estimate over other batches: only the validation loss is kept.
            if (LineText.TryReadLabelled(text[i..][part], out ReadOnlySpan<char> label, out ReadOnlySpan<char> value)
                && label is "val loss" && Numbers.TryParse(value, out double loss))
            {
                builder.AddEval("val_loss", loss);
            }
        }

        if (!builder.HasEval)
        {
            return LineKind.Unknown;
        }

        _lastStep = step;
        builder.Step = step;
        record = builder.Build(line, RecordKind.Eval, Format);
        return LineKind.Record;
    }

    private LineKind ParseSpeedrun(ReadOnlySpan<char> text, int i, long line, out MetricRecord? record)
    {
        record = null;
        if (!LineText.TryReadLong(text, ref i, out long step) || !LineText.TryExpect(text, ref i, "/") || !LineText.TryReadLong(text, ref i, out long max))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = step, MaxStep = max };
        bool any = false;
        foreach (Range part in text[i..].Split(' '))
        {
            ReadOnlySpan<char> token = text[i..][part];
            int colon = token.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            any |= ReadSpeedrunField(builder, token[..colon], token[(colon + 1)..]);
        }

        if (!any)
        {
            return LineKind.Unknown;
        }

        _lastStep = step;
        record = builder.HasEval ? builder.Build(line, RecordKind.Eval, Format) : builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private static bool ReadSpeedrunField(RecordBuilder builder, ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        switch (key)
        {
            case "train_loss" when Numbers.TryParse(value, out double loss):
                builder.Loss = loss;
                return true;
            case "val_loss" when Numbers.TryParse(value, out double val):
                return builder.AddEval("val_loss", val);
            case "step_avg":
                // The running average of the step time ("nanms" before the timed steps begin).
                if (LineText.TryParseSeconds(value, out double seconds) && double.IsFinite(seconds))
                {
                    builder.IterTime = seconds;
                }

                return true;
            case "train_time":
                return true;
            default:
                return false;
        }
    }
}
