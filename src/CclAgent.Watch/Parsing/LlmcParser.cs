using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// karpathy/llm.c: <c>train_gpt2.cu</c>'s <c>step   61/74 | loss 3.208939 (+nanz)| norm 1.4800 (+nanz)| lr 3.00e-04 | 44.57 ms | … | 91886 tok/s</c>,
/// <c>train_gpt2.py</c>'s <c>step    1/74 | train loss … | norm … | lr … | (… ms | … tok/s)</c>, the CPU trainer's
/// <c>step 0: train loss 5.356189 (took 1452.121000 ms)</c>, <c>val loss 5.252026</c>, and the <c>-o</c> log file's
/// <c>s:0 trl:11.0091 lr:0.000001 norm:15.37</c> / <c>s:250 tel:6.1710</c> (also written by modded-nanogpt).
/// </summary>
public sealed class LlmcParser : ILogParser
{
    private long? _step;

    public LogFormat Format => LogFormat.Llmc;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text.AsSpan().TrimStart();
        if (span.StartsWith("s:", StringComparison.Ordinal))
        {
            return ParseLogFile(span, line, out record);
        }

        if (span.StartsWith("val loss ", StringComparison.Ordinal) && Numbers.TryParse(span[9..].Trim(), out double val))
        {
            var builder = new RecordBuilder { Step = _step };
            builder.AddEval("val_loss", val);
            record = builder.Build(line, RecordKind.Eval, Format);
            return LineKind.Record;
        }

        return span.StartsWith("step ", StringComparison.Ordinal) ? ParseStep(span, 5, line, out record) : LineKind.Unknown;
    }

    private LineKind ParseStep(ReadOnlySpan<char> text, int i, long line, out MetricRecord? record)
    {
        record = null;
        if (!LineText.TryReadLong(text, ref i, out long step))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = step };
        if (LineText.TryExpect(text, ref i, "/") && LineText.TryReadLong(text, ref i, out long max) && text[i..].TrimStart().StartsWith('|'))
        {
            builder.MaxStep = max;
            ReadSegments(builder, text[i..], '|');
        }
        else if (LineText.TryExpect(text, ref i, ": ") && text[i..].StartsWith("train loss ", StringComparison.Ordinal))
        {
            // "train loss 5.356189 (took 1452.121000 ms)": the time sits in brackets after the loss.
            ReadOnlySpan<char> rest = text[i..];
            int open = rest.IndexOf('(');
            ReadSegments(builder, open < 0 ? rest : rest[..open], '|');
            if (open >= 0)
            {
                ReadSegments(builder, rest[(open + 1)..], '|');
            }
        }

        if (builder.Loss is null)
        {
            return LineKind.Unknown;
        }

        _step = step;
        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private static void ReadSegments(RecordBuilder builder, ReadOnlySpan<char> text, char separator)
    {
        foreach (Range part in text.Split(separator))
        {
            if (!LineText.TryReadLabelled(text[part], out ReadOnlySpan<char> label, out ReadOnlySpan<char> value))
            {
                continue;
            }

            if (label is "ms" or "took" && LineText.TryParseWithUnit(value, out double ms, out _))
            {
                builder.IterTime = ms / 1000;
            }
            else if (Numbers.TryParse(value, out double number))
            {
                ReadField(builder, label, number);
            }
        }
    }

    private static void ReadField(RecordBuilder builder, ReadOnlySpan<char> label, double value)
    {
        switch (label)
        {
            case "loss" or "train loss" or "trl":
                builder.Loss = value;
                break;
            case "norm":
                builder.GradNorm = value;
                break;
            case "lr":
                builder.LearningRate = value;
                break;
        }
    }

    private LineKind ParseLogFile(ReadOnlySpan<char> text, long line, out MetricRecord? record)
    {
        record = null;
        int i = 2;
        if (!LineText.TryReadLong(text, ref i, out long step) || i >= text.Length || text[i] != ' ')
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = step };
        foreach (Range part in text[i..].Split(' '))
        {
            ReadOnlySpan<char> token = text[i..][part];
            int colon = token.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            ReadOnlySpan<char> key = token[..colon];
            ReadOnlySpan<char> value = token[(colon + 1)..];
            if (key is "tel" && Numbers.TryParse(value, out double val))
            {
                builder.AddEval("val_loss", val);
            }
            else if (key is "step_avg" && LineText.TryParseSeconds(value, out double seconds) && double.IsFinite(seconds))
            {
                builder.IterTime = seconds;
            }
            else if (Numbers.TryParse(value, out double number))
            {
                ReadField(builder, key, number);
            }
        }

        RecordKind? kind = builder.Loss is not null ? RecordKind.Train : builder.HasEval ? RecordKind.Eval : null;
        if (kind is not RecordKind found)
        {
            return LineKind.Unknown;
        }

        _step = step;
        record = builder.Build(line, found, Format);
        return LineKind.Record;
    }
}
