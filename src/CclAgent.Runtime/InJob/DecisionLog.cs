using System.Text.Json;

namespace CclAgent.Runtime.InJob;

/// <summary>
/// Reads the decision logs every rank's plugin appends to (one file per process: <c>decisions_%p.jsonl</c>). Lines are
/// read whole; a line being appended (no newline yet) or one that is not ours is skipped, never fatal.
/// </summary>
public sealed class DecisionLog(string folder)
{
    public const string FilePattern = "decisions_%p.jsonl";

    public string Folder => folder;

    /// <summary>The value of CCL_TUNER_DECISIONS for the job: the plugin replaces %p by its pid.</summary>
    public string PathPattern => Path.Combine(folder, FilePattern);

    public IReadOnlyList<DecisionRecord> Read()
    {
        var records = new List<DecisionRecord>();
        if (!Directory.Exists(folder))
        {
            return records;
        }

        foreach (string file in Directory.EnumerateFiles(folder, "decisions_*.jsonl").Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                text = reader.ReadToEnd();
            }
            catch (IOException)
            {
                continue;
            }

            int end = text.LastIndexOf('\n');
            foreach (string line in text[..(end + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Parse(line) is { } record)
                {
                    records.Add(record);
                }
            }
        }

        return records;
    }

    /// <summary>Processes that loaded <paramref name="tableId"/>, and every process that has loaded any table.</summary>
    public (IReadOnlySet<long> Loaded, IReadOnlySet<long> All) Loads(string tableId)
    {
        IReadOnlyList<DecisionRecord> loads = [.. Read().Where(r => r.Event == "load")];
        return (loads.Where(r => r.TableId == tableId).Select(r => r.Pid).ToHashSet(), loads.Select(r => r.Pid).ToHashSet());
    }

    internal static DecisionRecord? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "event") is not { } kind || !root.TryGetProperty("pid", out JsonElement pid) || !pid.TryGetInt64(out long process))
            {
                return null;
            }

            return new DecisionRecord(kind, process, String(root, "table_id"))
            {
                Status = String(root, "status"),
                Collective = String(root, "coll"),
                Bytes = Number(root, "bytes"),
                Nodes = (int)Number(root, "nnodes"),
                Ranks = (int)Number(root, "nranks"),
                Calls = Number(root, "calls"),
                Result = String(root, "result"),
                Line = (int)Number(root, "line"),
                Algorithm = String(root, "algo"),
                Protocol = String(root, "proto"),
                Channels = root.TryGetProperty("channels", out JsonElement channels) && channels.TryGetInt32(out int c) ? c : -1,
                SkippedRows = (int)Number(root, "skipped_rows"),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : 0;
}
