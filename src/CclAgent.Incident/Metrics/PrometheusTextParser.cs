using System.Globalization;
using System.Text;

namespace CclAgent.Incident.Metrics;

/// <summary>
/// The Prometheus text exposition format 0.0.4: <c># HELP</c>/<c># TYPE</c> lines, samples <c>name{l="v",...} value [ts]</c>
/// with <c>\\</c>, <c>\"</c> and <c>\n</c> escapes in label values, and histogram/summary series (_bucket, _sum, _count)
/// attributed to their family's TYPE. Malformed lines are counted, not fatal: a scrape is evidence, not input to validate.
/// </summary>
internal static class PrometheusTextParser
{
    public static (IReadOnlyList<MetricSample> Samples, IReadOnlyDictionary<string, string> Help, int Malformed) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<MetricSample>();
        int malformed = 0;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                Comment(line, types, help);
                continue;
            }

            if (Sample(line, types) is MetricSample sample)
            {
                samples.Add(sample);
            }
            else
            {
                malformed++;
            }
        }

        return (samples, help, malformed);
    }

    /// <summary>The family a series belongs to: <c>x_bucket</c> is histogram <c>x</c> when <c>x</c> was declared.</summary>
    public static string Family(string name, IReadOnlyDictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_sum", "_count", "_total", "_created" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.ContainsKey(name[..^suffix.Length]))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static void Comment(string line, Dictionary<string, string> types, Dictionary<string, string> help)
    {
        string[] parts = line.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 3 && parts[1] == "TYPE")
        {
            types[parts[2]] = parts.Length > 3 ? parts[3].Trim() : "untyped";
        }
        else if (parts.Length >= 3 && parts[1] == "HELP")
        {
            help[parts[2]] = parts.Length > 3 ? Unescape(parts[3], label: false) : string.Empty;
        }
    }

    private static MetricSample? Sample(string line, Dictionary<string, string> types)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ' && line[i] != '\t')
        {
            i++;
        }

        string name = line[..i];
        if (name.Length == 0)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{' && !Labels(line, ref i, labels))
        {
            return null;
        }

        string[] rest = line[i..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2 || !TryValue(rest[0], out double value))
        {
            return null;
        }

        string type = types.TryGetValue(Family(name, types), out string? t) ? t : "untyped";
        return new MetricSample(name, labels, value, type);
    }

    private static bool Labels(string line, ref int i, Dictionary<string, string> labels)
    {
        i++; // past '{'
        while (true)
        {
            while (i < line.Length && (line[i] == ' ' || line[i] == ','))
            {
                i++;
            }

            if (i < line.Length && line[i] == '}')
            {
                i++;
                return true;
            }

            int eq = line.IndexOf('=', i);
            if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"')
            {
                return false;
            }

            string key = line[i..eq].Trim();
            int j = eq + 2;
            while (j < line.Length && line[j] != '"')
            {
                // An escaped character (\" included) never ends the value.
                j += line[j] == '\\' && j + 1 < line.Length ? 2 : 1;
            }

            if (j >= line.Length)
            {
                return false;
            }

            labels[key] = Unescape(line[(eq + 2)..j], label: true);
            i = j + 1;
        }
    }

    private static bool TryValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>HELP text escapes: <c>\\</c> and <c>\n</c> only (a quote is literal there); label values also escape <c>\"</c>.</summary>
    private static string Unescape(string text, bool label)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                result.Append(c);
                continue;
            }

            char next = text[i + 1];
            switch (next)
            {
                case 'n':
                    result.Append('\n');
                    i++;
                    break;
                case '\\':
                    result.Append('\\');
                    i++;
                    break;
                case '"' when label:
                    result.Append('"');
                    i++;
                    break;
                default:
                    // An unknown escape is kept as written: the exposition format defines no others.
                    result.Append(c);
                    break;
            }
        }

        return result.ToString();
    }
}
