namespace CclAgent.Watch.Parsing;

/// <summary>
/// Reads the top-level numeric entries of a Python dict repr (<c>{'loss': 3.55}</c>) or a JSON object
/// (<c>{"loss": 3.55}</c>). Tolerates what Python writes and strict JSON forbids: NaN, Infinity, single quotes, None.
/// Nested values and strings are skipped.
/// </summary>
internal static class DictScanner
{
    /// <summary>Adds each top-level numeric entry to <paramref name="builder"/>; false when the text is not a dict/object.</summary>
    public static bool Scan(ReadOnlySpan<char> text, RecordBuilder builder)
    {
        int i = text.IndexOf('{');
        if (i < 0)
        {
            return false;
        }

        i++;
        int entries = 0;
        while (true)
        {
            i = SkipSpace(text, i);
            if (i >= text.Length)
            {
                return false;
            }

            if (text[i] == '}')
            {
                return entries > 0;
            }

            if (text[i] is not ('\'' or '"'))
            {
                return false;
            }

            int keyEnd = StringEnd(text, i);
            if (keyEnd < 0)
            {
                return false;
            }

            ReadOnlySpan<char> key = text[(i + 1)..keyEnd];
            i = SkipSpace(text, keyEnd + 1);
            if (i >= text.Length || text[i] != ':')
            {
                return false;
            }

            i = SkipSpace(text, i + 1);
            int valueEnd = ValueEnd(text, i);
            if (valueEnd < 0)
            {
                return false;
            }

            if (Numbers.TryParse(text[i..valueEnd].Trim(), out double value))
            {
                builder.Add(key, value);
            }

            entries++;
            i = SkipSpace(text, valueEnd);
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }
    }

    private static int SkipSpace(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i;
    }

    private static int StringEnd(ReadOnlySpan<char> text, int open)
    {
        char quote = text[open];
        for (int i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return -1;
    }

    private static int ValueEnd(ReadOnlySpan<char> text, int i)
    {
        int depth = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is '\'' or '"')
            {
                int end = StringEnd(text, i);
                if (end < 0)
                {
                    return -1;
                }

                i = end + 1;
                continue;
            }

            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                if (depth == 0)
                {
                    return i;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                return i;
            }

            i++;
        }

        return -1;
    }
}
