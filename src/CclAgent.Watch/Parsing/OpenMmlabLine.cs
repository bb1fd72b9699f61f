using System.Runtime.CompilerServices;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// The OpenMMLab logger line shared by MMEngine (<c>Epoch(train) [1][10/90]  lr: …</c>, two-space separated) and the
/// mmcv era (<c>Epoch [1][2400/7517]\tlr: 0.00125, eta: …</c>, comma separated). Each parser claims only its own era.
/// </summary>
internal static class OpenMmlabLine
{
    /// <summary>The most <c>key: value</c> pairs read from one line.</summary>
    public const int MaxPairs = 64;

    public static LineKind Parse(string text, long line, LogFormat format, out MetricRecord? record) =>
        Parse(text, line, format, new RecordBuilder(), new KeyValueSpan[MaxPairs], out record);

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>
    /// Parses the line in place. The builder is reset and reused, and the pairs are scanned into the caller's array (a
    /// stack buffer of <see cref="MaxPairs"/> would be zeroed on every line), so a line costs only its record.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LineKind Parse(ReadOnlySpan<char> text, long line, LogFormat format, RecordBuilder builder, Span<KeyValueSpan> pairs, out MetricRecord? record)
    {
        record = null;
        if (!TryFindMarker(text, out bool eval, out bool epochBased, out bool legacyMarker, out int i))
        {
            return LineKind.Unknown;
        }

        bool legacy = legacyMarker || text[i..].Contains('\t') || LooksCommaSeparated(text[i..]);
        if (legacy != (format == LogFormat.Mmcv))
        {
            return LineKind.Unknown;
        }

        i = ReadBrackets(text, i, out Bracket first, out Bracket second);
        if (!first.Present || (legacyMarker && epochBased && !second.Present))
        {
            // mmcv's epoch lines always carry "[epoch][iter/iters]"; a lone "Epoch [001/300] - Train Loss: …" is some
            // other trainer's line, left to the key-value reader.
            return LineKind.Unknown;
        }

        builder.Reset(eval);
        int count = KeyValueScanner.Scan(text, i, pairs);
        foreach (KeyValueSpan pair in pairs[..count])
        {
            builder.Add(text.Slice(pair.KeyStart, pair.KeyLength), text.Slice(pair.ValueStart, pair.ValueLength));
        }

        if (eval)
        {
            // Validation progress lines carry only eta/time/memory; the metrics come on the last line of the loop.
            if (!builder.HasEval)
            {
                return LineKind.Progress;
            }

            builder.Step = null;
            builder.Epoch = epochBased && second.Present ? first.A : null;
            record = builder.Build(line, RecordKind.Eval, format);
            return LineKind.Record;
        }

        if (!builder.HasTrain)
        {
            return LineKind.Unknown;
        }

        if (epochBased && second.Present)
        {
            builder.Epoch = first.A;
            builder.Step = second.B is long perEpoch ? ((first.A - 1) * perEpoch) + second.A : second.A;
        }
        else
        {
            builder.Step = first.A;
            builder.MaxStep = first.B;
        }

        record = builder.Build(line, RecordKind.Train, format);
        return LineKind.Record;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryFindMarker(ReadOnlySpan<char> text, out bool eval, out bool epochBased, out bool legacyMarker, out int after)
    {
        eval = false;
        legacyMarker = false;
        after = 0;
        int at = IndexOfWord(text, "Epoch");
        epochBased = at >= 0;
        if (at < 0)
        {
            at = IndexOfWord(text, "Iter");
        }

        if (at < 0)
        {
            return false;
        }

        int i = at + (epochBased ? 5 : 4);
        if (i < text.Length && text[i] == '(')
        {
            int close = text[i..].IndexOf(')');
            if (close < 0)
            {
                return false;
            }

            close += i;

            // Compared in place: a substring per line is an allocation per line of a million-line log.
            ReadOnlySpan<char> mode = text[(i + 1)..close];
            eval = mode is "val" or "test";
            if (!eval && mode is not "train")
            {
                return false;
            }

            after = close + 1;
            return true;
        }

        // "Epoch [1][2400/7517]" (mmcv era, train only).
        if (i + 1 < text.Length && text[i] == ' ' && text[i + 1] == '[')
        {
            legacyMarker = true;
            after = i;
            return true;
        }

        return false;
    }

    private static int IndexOfWord(ReadOnlySpan<char> text, string word)
    {
        int at = text.IndexOf(word, StringComparison.Ordinal);
        while (at > 0 && char.IsLetterOrDigit(text[at - 1]))
        {
            int next = text[(at + 1)..].IndexOf(word, StringComparison.Ordinal);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return at;
    }

    private static bool LooksCommaSeparated(ReadOnlySpan<char> rest)
    {
        // mmcv joins pairs with ", " right after a number ("lr: 0.00125, eta: …"); MMEngine uses two spaces.
        int comma = rest.IndexOf(", ", StringComparison.Ordinal);
        return comma > 0 && char.IsDigit(rest[comma - 1]) && comma + 2 < rest.Length && char.IsLetter(rest[comma + 2]) && !rest[(comma + 2)..].StartsWith("day", StringComparison.Ordinal);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ReadBrackets(ReadOnlySpan<char> text, int i, out Bracket first, out Bracket second)
    {
        first = default;
        second = default;
        for (int n = 0; n < 2; n++)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length || text[i] != '[')
            {
                break;
            }

            int close = text[i..].IndexOf(']');
            if (close < 0 || !Bracket.TryParse(text.Slice(i + 1, close - 1), out Bracket bracket))
            {
                break;
            }

            close += i;

            if (n == 0)
            {
                first = bracket;
            }
            else
            {
                second = bracket;
            }

            i = close + 1;
        }

        return i;
    }

    /// <summary>"[12]" or "[  50/1509]".</summary>
    private readonly record struct Bracket(bool Present, long A, long? B)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static bool TryParse(ReadOnlySpan<char> content, out Bracket bracket)
        {
            bracket = default;
            int slash = content.IndexOf('/');
            ReadOnlySpan<char> a = (slash < 0 ? content : content[..slash]).Trim();
            if (!TryParseIndex(a, out long av))
            {
                return false;
            }

            long? bv = null;
            if (slash >= 0)
            {
                if (!TryParseIndex(content[(slash + 1)..].Trim(), out long b))
                {
                    return false;
                }

                bv = b;
            }

            bracket = new Bracket(true, av, bv);
            return true;
        }

        private static bool TryParseIndex(ReadOnlySpan<char> text, out long value)
        {
            // Indices are plain digits: read them directly, and leave signs, padding and overflow to long.TryParse.
            value = 0;
            if (text.Length is > 0 and <= 18 && !text.ContainsAnyExceptInRange('0', '9'))
            {
                foreach (char c in text)
                {
                    value = (value * 10) + (c - '0');
                }

                return true;
            }

            return long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out value);
        }
    }
}
