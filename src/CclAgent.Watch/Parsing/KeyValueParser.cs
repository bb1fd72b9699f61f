using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// The fallback: plain <c>key: value</c> / <c>key=value</c> pairs, as custom loops and Keras print them
/// (<c>step=120 loss=2.31 lr=3e-4</c>, <c>469/469 - 5s - loss: 0.21 - accuracy: 0.93 - val_loss: 0.12</c>).
/// A line counts only when it carries a loss, a learning rate, a grad norm, a loss scale or an evaluation metric,
/// so that ordinary log chatter ("Elapsed time: 12") is not mistaken for metrics, and only when it looks like a line of
/// metrics: at least two numeric pairs, none of them an argument inside brackets. Python source that tracebacks and
/// config dumps print (<c>    loss = criterion(out, y)</c>, <c>lr=args.lr,</c>, <c>optimizer = AdamW(params, lr=3e-4, weight_decay=0.1)</c>,
/// <c>learning_rate=5e-05,</c>) is not a metrics line.
/// </summary>
public sealed class KeyValueParser : ILogParser
{
    public LogFormat Format => LogFormat.KeyValue;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        if (text.AsSpan().IndexOfAny(':', '=') < 0)
        {
            return LineKind.Unknown;
        }

        if (SacreBleu(text, line, out record))
        {
            return LineKind.Record;
        }

        var builder = new RecordBuilder();
        Span<KeyValueSpan> pairs = stackalloc KeyValueSpan[64];
        int count = KeyValueScanner.Scan(text, 0, pairs);
        ReadOnlySpan<char> span = text;
        if (!LooksLikeMetrics(span, pairs[..count]))
        {
            return LineKind.Unknown;
        }

        foreach (KeyValueSpan pair in pairs[..count])
        {
            builder.Add(span.Slice(pair.KeyStart, pair.KeyLength), span.Slice(pair.ValueStart, pair.ValueLength));
        }

        bool train = builder.Loss is not null || builder.LearningRate is not null || builder.GradNorm is not null || builder.LossScale is not null;
        if (train)
        {
            record = builder.Build(line, RecordKind.Train, LogFormat.KeyValue);
            return LineKind.Record;
        }

        if (builder.HasEval)
        {
            record = builder.Build(line, RecordKind.Eval, LogFormat.KeyValue);
            return LineKind.Record;
        }

        return LineKind.Unknown;
    }

    /// <summary>
    /// sacreBLEU's score string, which translation scripts print after each evaluation however the rest of their log
    /// looks: <c>BLEU = 26.35 58.3/32.1/20.0/13.1 (BP = 0.962 ratio = 0.963 …)</c>.
    /// </summary>
    private static bool SacreBleu(string text, long line, out MetricRecord? record)
    {
        record = null;
        const string Marker = "BLEU = ";
        int at = text.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || (at > 0 && char.IsLetterOrDigit(text[at - 1])))
        {
            return false;
        }

        ReadOnlySpan<char> rest = text.AsSpan(at + Marker.Length);
        int end = rest.IndexOfAny(' ', ',');
        if (!Numbers.TryParse(end < 0 ? rest : rest[..end], out double bleu) || end < 0 || !rest[(end + 1)..].TrimStart().ContainsAny("/(".AsSpan()))
        {
            return false;
        }

        var builder = new RecordBuilder();
        builder.AddEval("bleu", bleu);
        record = builder.Build(line, RecordKind.Eval, LogFormat.KeyValue);
        return true;
    }

    private static bool LooksLikeMetrics(ReadOnlySpan<char> text, ReadOnlySpan<KeyValueSpan> pairs)
    {
        int numeric = 0;
        int depth = 0;
        int scanned = 0;
        foreach (KeyValueSpan pair in pairs)
        {
            // Open brackets before the key mean a call's keyword arguments or a dict literal: code, not metrics.
            depth += Depth(text[scanned..pair.KeyStart]);
            scanned = pair.KeyStart;
            if (depth > 0)
            {
                return false;
            }

            numeric += Numbers.TryParse(text.Slice(pair.ValueStart, pair.ValueLength), out _) ? 1 : 0;
        }

        return numeric >= 2;
    }

    private static int Depth(ReadOnlySpan<char> text)
    {
        int depth = 0;
        foreach (char c in text)
        {
            depth += c is '(' or '{' ? 1 : c is ')' or '}' ? -1 : 0;
        }

        return depth;
    }
}
