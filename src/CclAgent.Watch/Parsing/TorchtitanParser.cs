using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// pytorch/torchtitan's metrics line: <c>[rank0]:[titan] 2025-06-16 22:30:50,322 - root - INFO - step: 200  loss:  6.1384  grad_norm:  0.83
/// memory: 49.66GiB(52.28%)  tps: 5,856  tflops: 339.16  mfu: 34.29%</c>. The terminal version is coloured; the line
/// parser strips the escapes before any parser sees the line.
/// </summary>
public sealed class TorchtitanParser : ILogParser
{
    private const string Marker = "step:";

    public LogFormat Format => LogFormat.Torchtitan;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text;
        int at = span.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || !span[..at].Contains(" - ", StringComparison.Ordinal) || !span.Contains("loss:", StringComparison.Ordinal))
        {
            return LineKind.Unknown;
        }

        int i = at + Marker.Length;
        if (!LineText.TryReadLong(span, ref i, out long step))
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = step };
        Span<KeyValueSpan> pairs = stackalloc KeyValueSpan[32];
        int count = KeyValueScanner.Scan(span, i, pairs);
        foreach (KeyValueSpan pair in pairs[..count])
        {
            ReadOnlySpan<char> key = span.Slice(pair.KeyStart, pair.KeyLength);
            ReadOnlySpan<char> value = span.Slice(pair.ValueStart, pair.ValueLength);
            if (key is "memory")
            {
                ReadMemory(builder, value);
            }
            else if (key is "loss" or "grad_norm" or "lr")
            {
                builder.Add(key, value);
            }
        }

        if (builder.Loss is null)
        {
            return LineKind.Unknown;
        }

        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    private static void ReadMemory(RecordBuilder builder, ReadOnlySpan<char> value)
    {
        // "49.66GiB(52.28%)": the reserved memory and its share of the device.
        int open = value.IndexOf('(');
        ReadOnlySpan<char> amount = open < 0 ? value : value[..open];
        if (LineText.TryParseWithUnit(amount, out double number, out ReadOnlySpan<char> unit))
        {
            double? mb = unit switch { "GiB" or "GB" => number * 1024, "MiB" or "MB" => number, _ => null };
            builder.MemoryMb = mb ?? builder.MemoryMb;
        }
    }
}
