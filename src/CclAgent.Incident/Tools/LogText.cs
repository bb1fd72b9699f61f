using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CclAgent.Core.Secrets;

namespace CclAgent.Incident.Tools;

/// <summary>Selects numbered, redacted lines of a log for a tool result: topic filter, level filter, a line budget.</summary>
internal static partial class LogText
{
    /// <summary>Lines longer than this are cut: a log line is evidence, not a payload.</summary>
    public const int MaxLineChars = 600;

    public static List<(int Number, string Text)> Select(string text, IReadOnlyList<string> topics, string? level, int limit)
    {
        var selected = new List<(int, string)>();
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (topics.Count > 0 && !topics.Any(t => line.Contains(t, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (level is not null && !LevelAtLeast(LevelOf(line), level))
            {
                continue;
            }

            string clean = SecretRedactor.Redact(line);
            selected.Add((number, clean.Length <= MaxLineChars ? clean : clean[..MaxLineChars] + "…"));
        }

        // Over budget, the start (configuration, first errors) and the end (the latest state) are kept.
        if (selected.Count > limit)
        {
            int head = limit / 2;
            selected = [.. selected.Take(head), .. selected.Skip(selected.Count - (limit - head))];
        }

        return selected;
    }

    public static JsonArray Numbered(IEnumerable<(int Number, string Text)> lines, string? source = null)
    {
        var array = new JsonArray();
        foreach ((int n, string t) in lines)
        {
            var item = new JsonObject();
            if (source is not null)
            {
                item["source"] = source;
            }

            item["line"] = n;
            item["text"] = t;
            array.Add(item);
        }

        return array;
    }

    /// <summary>The level a serving or kernel log line states: vLLM "INFO 07-08 …", glog "[E…", kernel "BUG:"/"error".</summary>
    public static string? LevelOf(string line)
    {
        Match m = LevelWord().Match(line);
        if (m.Success)
        {
            return m.Groups["level"].Value.ToUpperInvariant() switch
            {
                "WARN" or "WARNING" => "WARNING",
                "CRITICAL" or "FATAL" => "ERROR",
                string other => other,
            };
        }

        return GlogLevel().Match(line) is { Success: true } g ? g.Groups["l"].Value switch
        {
            "E" or "F" => "ERROR",
            "W" => "WARNING",
            _ => "INFO",
        } : null;
    }

    private static bool LevelAtLeast(string? actual, string wanted)
    {
        static int Rank(string? l) => l switch
        {
            "DEBUG" => 0,
            "INFO" => 1,
            "WARNING" or "WARN" => 2,
            "ERROR" => 3,
            null => -1,
            _ => 1,
        };

        return Rank(actual) >= Rank(wanted.ToUpperInvariant());
    }

    [GeneratedRegex(@"(?:^|[\s\]\)|:])(?<level>DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)(?=[\s:\]])", RegexOptions.CultureInvariant)]
    private static partial Regex LevelWord();

    [GeneratedRegex(@"\[(?<l>[EWIF])\d{4}|\[(?<l>[EWIF]) ", RegexOptions.CultureInvariant)]
    private static partial Regex GlogLevel();
}
