using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// Finds <c>key: value</c> and <c>key=value</c> pairs in a line, whatever separates the pairs (two spaces in MMEngine,
/// ", " in mmcv, " - " in Keras). Hand-written rather than a regex because it runs on every line of million-line logs.
/// </summary>
public static class KeyValueScanner
{
    // ASCII key characters (letters, digits, _ . / - @) as two 64-bit masks: a shift and a test per character, inlined
    // (a SearchValues lookup is a call per character, and keys are walked one character at a time).
    private static readonly ulong KeyCharsLow = Mask("0123456789_./-@ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 0);
    private static readonly ulong KeyCharsHigh = Mask("0123456789_./-@ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 64);

    // What ends a value, all below 64 except '|'.
    private static readonly ulong ValueTerminatorsLow = Mask(" \t,;", 0);

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>Fills <paramref name="pairs"/> with the pairs in <paramref name="text"/> from <paramref name="start"/>; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Scan(ReadOnlySpan<char> text, int start, Span<KeyValueSpan> pairs)
    {
        int count = 0;
        int i = start;
        while (i < text.Length && count < pairs.Length)
        {
            int rel = text[i..].IndexOfAny(':', '=');
            if (rel < 0)
            {
                break;
            }

            int sep = i + rel;
            bool colon = text[sep] == ':';
            bool valueFollows = sep + 1 < text.Length && (colon ? text[sep + 1] is ' ' or '\t' : !char.IsWhiteSpace(text[sep + 1]));
            int keyStart = KeyStart(text, i, sep);
            if (!valueFollows || keyStart == sep)
            {
                i = sep + 1;
                continue;
            }

            int valueStart = sep + 1;
            while (valueStart < text.Length && text[valueStart] is ' ' or '\t')
            {
                valueStart++;
            }

            int valueEnd = ValueEnd(text, valueStart);
            if (valueEnd > valueStart)
            {
                pairs[count++] = new KeyValueSpan(keyStart, sep - keyStart, valueStart, valueEnd - valueStart);
            }

            i = Math.Max(valueEnd, sep + 1);
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int KeyStart(ReadOnlySpan<char> text, int floor, int sep)
    {
        int k = sep;
        while (k > floor && IsKeyChar(text[k - 1]))
        {
            k--;
        }

        // A key starts with a letter or '_' ("Epoch(val) [1]" or "12:03" are not keys).
        while (k < sep && !(char.IsLetter(text[k]) || text[k] == '_'))
        {
            k++;
        }

        return WithSplitWord(text, floor, k);
    }

    /// <summary>
    /// "Train Loss: 145.1, Valid Loss: 70.7": a key of two words whose first names the data split is one key, or the
    /// validation loss would read as a second training loss.
    /// </summary>
    private static int WithSplitWord(ReadOnlySpan<char> text, int floor, int k)
    {
        if (k - floor < 4 || text[k - 1] != ' ')
        {
            return k;
        }

        int w = k - 1;
        while (w > floor && char.IsLetter(text[w - 1]))
        {
            w--;
        }

        ReadOnlySpan<char> word = text[w..(k - 1)];
        if (word.Length is not (3 or 4 or 5 or 8 or 10))
        {
            return k;
        }

        bool split = word.Equals("train", StringComparison.OrdinalIgnoreCase) || word.Equals("training", StringComparison.OrdinalIgnoreCase)
            || word.Equals("valid", StringComparison.OrdinalIgnoreCase) || word.Equals("validation", StringComparison.OrdinalIgnoreCase)
            || word.Equals("val", StringComparison.OrdinalIgnoreCase) || word.Equals("test", StringComparison.OrdinalIgnoreCase)
            || word.Equals("eval", StringComparison.OrdinalIgnoreCase) || word.Equals("dev", StringComparison.OrdinalIgnoreCase);
        return split && (w == floor || !char.IsLetterOrDigit(text[w - 1])) ? w : k;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ValueEnd(ReadOnlySpan<char> text, int valueStart)
    {
        // A plain loop: values are a few characters long, too short for a vectorised search to pay for its call.
        int e = valueStart;
        while (e < text.Length && !IsValueTerminator(text[e]))
        {
            e++;
        }

        // Python's timedelta prints "1 day, 2:03:04": keep the whole duration as one value.
        ReadOnlySpan<char> rest = text[e..];
        if (rest.StartsWith(" day", StringComparison.Ordinal))
        {
            int comma = rest.IndexOf(',');
            if (comma > 0)
            {
                int t = e + comma + 1;
                while (t < text.Length && text[t] == ' ')
                {
                    t++;
                }

                while (t < text.Length && (char.IsDigit(text[t]) || text[t] is ':' or '.'))
                {
                    t++;
                }

                return t;
            }
        }

        return e;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsKeyChar(char c) => c switch
    {
        < (char)64 => ((KeyCharsLow >> c) & 1) != 0,
        < (char)128 => ((KeyCharsHigh >> (c - 64)) & 1) != 0,
        _ => char.IsLetterOrDigit(c),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsValueTerminator(char c) => c < 64 ? ((ValueTerminatorsLow >> c) & 1) != 0 : c == '|';

    /// <summary>The bits of the characters of <paramref name="chars"/> that fall in [<paramref name="from"/>, from + 64).</summary>
    private static ulong Mask(string chars, int from)
    {
        ulong mask = 0;
        foreach (char c in chars)
        {
            if (c >= from && c < from + 64)
            {
                mask |= 1UL << (c - from);
            }
        }

        return mask;
    }
}
