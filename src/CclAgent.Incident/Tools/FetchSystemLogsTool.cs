using System.Text.Json.Nodes;
using CclAgent.Incident.Scenarios;

namespace CclAgent.Incident.Tools;

/// <summary>fetch_system_logs: kernel (dmesg) and journald lines: Xid, ECC, OOM killer, soft lockups, NIC errors.</summary>
internal sealed class FetchSystemLogsTool(Scenario scenario) : IIncidentTool
{
    public const string ToolName = "fetch_system_logs";

    public string Name => ToolName;

    public string Description => "Read the host's kernel log (dmesg) and journald excerpt (numbered lines, secrets masked), optionally only lines containing one of the topics.";

    public JsonObject ArgsSchema { get; } = ToolSchema.Object(
        ("sources", ToolSchema.ArrayOf("string", "Which logs (default both).", "dmesg", "journal")),
        ("topics", ToolSchema.ArrayOf("string", "Substrings (case-insensitive); a line is kept when it contains any.")),
        ("limit", ToolSchema.Of("integer", "Most lines per source (1-5000, default 2000).")));

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> wanted = ToolArgs.Strings(args, "sources");
        if (wanted.Count == 0)
        {
            wanted = ["dmesg", "journal"];
        }

        if (wanted.FirstOrDefault(w => w is not ("dmesg" or "journal")) is string bad)
        {
            return Task.FromResult<JsonNode>(ToolResult.Error("invalid_argument", $"sources: '{bad}' is not one of dmesg, journal"));
        }

        var lines = new JsonArray();
        var errors = new JsonArray();
        var read = new List<string>();
        foreach (string source in wanted)
        {
            (string? text, string name) = source == "dmesg" ? (scenario.DmesgLog, "logs/dmesg.log") : (scenario.JournalLog, "logs/journal.log");
            if (text is null)
            {
                continue;
            }

            read.Add(name);
            var selected = LogText.Select(text, ToolArgs.Strings(args, "topics"), null, ToolArgs.Int(args, "limit", 2000, 1, 5000));
            foreach (JsonNode? line in LogText.Numbered(selected, name))
            {
                lines.Add(line!.DeepClone());
            }

            foreach ((int number, string line) in selected.Where(s => LogText.LevelOf(s.Text) == "ERROR" || s.Text.Contains("BUG:", StringComparison.Ordinal)))
            {
                errors.Add(new JsonObject { ["source"] = name, ["line"] = number, ["text"] = line });
            }
        }

        if (read.Count == 0)
        {
            return Task.FromResult<JsonNode>(ToolResult.NoData($"no system log ({string.Join(", ", wanted)}) is present"));
        }

        return Task.FromResult<JsonNode>(ToolResult.Success(new JsonObject
        {
            ["source"] = string.Join(", ", read),
            ["lines"] = lines,
            ["errors"] = errors,
        }));
    }
}
