using System.Globalization;
using System.Text.Json;
using CclAgent.Core.Statistics;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.History;

/// <summary>
/// Cross-run patterns for <c>--history DIR</c>: earlier <c>analysis.json</c> files (anywhere under DIR) against this run.
/// An id that is a bottleneck, or an initiating failure, in this run and in at least half of the earlier runs (and two or
/// more of them) recurs; a critical path more than 20% longer than the earlier runs' median is a regression.
/// </summary>
internal static class RunHistory
{
    /// <summary>Beyond this ratio over the earlier median the run is slower than noise between runs explains.</summary>
    internal const double RegressionRatio = 1.2;

    public static List<string> Patterns(TraceReport current, string dir)
    {
        List<Earlier> runs = Read(dir);
        if (runs.Count == 0)
        {
            return [];
        }

        var patterns = new List<string>();
        Recurring(patterns, "slow", current.Bottlenecks.Select(b => b.Id), runs.Select(r => r.Slow).ToList());
        Recurring(patterns, "fails", current.Failures.Initiating, runs.Select(r => r.Failed).ToList());
        double[] earlier = [.. runs.Select(r => r.CriticalMs).Where(d => d > 0).Order()];
        double median = Quantiles.MedianOfSorted(earlier);
        if (earlier.Length > 0 && current.CriticalPath.DurationMs > RegressionRatio * median)
        {
            patterns.Add(string.Create(CultureInfo.InvariantCulture, $"regression: critical path {current.CriticalPath.DurationMs} ms vs median {median} ms of {earlier.Length} earlier runs ({current.CriticalPath.DurationMs / median:0.##}x)"));
        }

        return patterns;
    }

    private static void Recurring(List<string> patterns, string what, IEnumerable<string> now, List<HashSet<string>> earlier)
    {
        foreach (string id in now.Distinct(StringComparer.Ordinal))
        {
            int seen = earlier.Count(s => s.Contains(id));
            if (seen >= 2 && seen * 2 >= earlier.Count)
            {
                patterns.Add($"{what} repeatedly: {id} in this run and {seen} of {earlier.Count} earlier runs");
            }
        }
    }

    /// <summary>What an earlier analysis says; read with a DOM per file (they are small) and only the fields used.</summary>
    private sealed record Earlier(HashSet<string> Slow, HashSet<string> Failed, double CriticalMs);

    private static List<Earlier> Read(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new TraceInputException($"{dir}: --history: no such directory; expected a directory of earlier analysis.json files");
        }

        var runs = new List<Earlier>();
        foreach (string file in Directory.EnumerateFiles(dir, "analysis.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
                JsonElement root = doc.RootElement;
                runs.Add(new Earlier(
                    Ids(root, "bottlenecks", b => b.GetProperty("id").GetString()),
                    Ids(root, "failures", f => f.GetString(), "initiating"),
                    root.TryGetProperty("critical_path", out JsonElement cp) && cp.TryGetProperty("duration_ms", out JsonElement d) ? d.GetDouble() : 0));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw new TraceInputException($"{file}: not a trace analysis.json ({ex.Message.Split('\n')[0].Trim()}); expected the output of trace analyze --out");
            }
        }

        return runs;
    }

    private static HashSet<string> Ids(JsonElement root, string section, Func<JsonElement, string?> id, string? inner = null)
    {
        if (!root.TryGetProperty(section, out JsonElement e) || (inner is not null && !e.TryGetProperty(inner, out e)) || e.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return e.EnumerateArray().Select(id).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }
}
