namespace CclAgent.Watch.Parsing;

/// <summary>
/// Small, allocation-free readers shared by the parsers of plain-text trainer output: integers, numbers with a unit
/// (<c>12.3ms</c>, <c>66.91GiB</c>, <c>40%</c>) and labelled values whose label may hold spaces
/// (<c>train loss 1.54</c>, <c>lm loss: 7.5E+00</c>, <c>elapsed time per iteration (ms): 869.1</c>).
/// </summary>
internal static class LineText
{
    public static int SkipSpaces(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    /// <summary>Reads an unsigned integer at <paramref name="i"/> (after optional spaces); false when there is none.</summary>
    public static bool TryReadLong(ReadOnlySpan<char> text, ref int i, out long value)
    {
        value = 0;
        int at = SkipSpaces(text, i);
        int start = at;
        while (at < text.Length && (uint)(text[at] - '0') <= 9 && at - start < 18)
        {
            value = (value * 10) + (text[at] - '0');
            at++;
        }

        if (at == start)
        {
            return false;
        }

        i = at;
        return true;
    }

    /// <summary>True when <paramref name="text"/> continues with <paramref name="expected"/> at <paramref name="i"/>; advances past it.</summary>
    public static bool TryExpect(ReadOnlySpan<char> text, ref int i, string expected)
    {
        if (!text[i..].StartsWith(expected, StringComparison.Ordinal))
        {
            return false;
        }

        i += expected.Length;
        return true;
    }

    /// <summary>A number followed by an optional unit: <c>12.3ms</c> → (12.3, "ms"), <c>nan</c> → (NaN, "").</summary>
    public static bool TryParseWithUnit(ReadOnlySpan<char> token, out double value, out ReadOnlySpan<char> unit)
    {
        unit = default;
        if (Numbers.TryParse(token, out value))
        {
            return true;
        }

        int end = 0;
        while (end < token.Length && IsNumberChar(token, end))
        {
            end++;
        }

        unit = token[end..];
        return end > 0 && Numbers.TryParse(token[..end], out value);
    }

    /// <summary>Seconds from a time printed with its unit (<c>ms</c>, <c>s</c>); false for other units.</summary>
    public static bool TryParseSeconds(ReadOnlySpan<char> token, out double seconds)
    {
        seconds = 0;
        if (!TryParseWithUnit(token, out double value, out ReadOnlySpan<char> unit))
        {
            return false;
        }

        unit = unit.Trim();
        double scale = unit switch { "ms" => 1e-3, "s" or "" => 1, _ => double.NaN };
        seconds = value * scale;
        return !double.IsNaN(scale) && !double.IsNaN(seconds);
    }

    /// <summary>
    /// Splits a segment into its label and the first numeric token: <c>train loss 1.54</c> → ("train loss", "1.54"),
    /// <c>lm loss: 7.5E+00</c> → ("lm loss", "7.5E+00"), <c>44.57 ms</c> → ("ms", "44.57"). Brackets around the
    /// segment are ignored (llm.c prints <c>(12.3 ms | 1234 tok/s)</c>).
    /// </summary>
    public static bool TryReadLabelled(ReadOnlySpan<char> segment, out ReadOnlySpan<char> label, out ReadOnlySpan<char> value)
    {
        label = default;
        value = default;
        segment = segment.Trim().TrimStart('(').TrimEnd(')').Trim();

        // "label: value" first: a label may hold words that parse as numbers ("number of nan iterations: 0").
        int colon = segment.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0)
        {
            ReadOnlySpan<char> rest = segment[(colon + 1)..].TrimStart();
            int space = rest.IndexOfAny(' ', '\t');
            value = space < 0 ? rest : rest[..space];
            label = segment[..colon].Trim();
            return label.Length > 0 && TryParseWithUnit(value, out _, out _);
        }

        int i = 0;
        while (i < segment.Length)
        {
            int end = segment[i..].IndexOfAny(' ', '\t');
            end = end < 0 ? segment.Length : i + end;
            ReadOnlySpan<char> token = segment[i..end];
            if (TryParseWithUnit(token, out _, out _))
            {
                value = token;
                label = i > 0 ? segment[..i].Trim().TrimEnd(':').Trim() : segment[end..].Trim();
                return label.Length > 0;
            }

            i = SkipSpaces(segment, end);
        }

        return false;
    }

    /// <summary>Removes ANSI colour escapes (<c>ESC[31m</c>); returns the text itself when it has none.</summary>
    public static string StripAnsi(string text)
    {
        int esc = text.IndexOf('\u001b', StringComparison.Ordinal);
        if (esc < 0)
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        result.Append(text, 0, esc);
        int i = esc;
        while (i < text.Length)
        {
            if (text[i] == '\u001b')
            {
                i = SkipEscape(text, i);
                continue;
            }

            result.Append(text[i]);
            i++;
        }

        return result.ToString();
    }

    private static int SkipEscape(string text, int esc)
    {
        // CSI: ESC [ parameters final-byte (a letter); anything else drops the ESC alone.
        int i = esc + 1;
        if (i < text.Length && text[i] == '[')
        {
            i++;
            while (i < text.Length && !char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            return Math.Min(i + 1, text.Length);
        }

        return i;
    }

    private static bool IsNumberChar(ReadOnlySpan<char> token, int i)
    {
        char c = token[i];
        if ((uint)(c - '0') <= 9 || c == '.')
        {
            return true;
        }

        if (c is '-' or '+')
        {
            return i == 0 || token[i - 1] is 'e' or 'E';
        }

        // An exponent only when a digit (or a signed digit) follows: "3ms" has none, "5e-05" has one.
        return c is 'e' or 'E' && i > 0 && i + 1 < token.Length && ((uint)(token[i + 1] - '0') <= 9 || (token[i + 1] is '-' or '+' && i + 2 < token.Length && (uint)(token[i + 2] - '0') <= 9));
    }
}
