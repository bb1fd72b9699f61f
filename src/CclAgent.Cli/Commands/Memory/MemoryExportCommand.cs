using System.CommandLine;
using System.Text.Json.Nodes;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory export`: every run, rule and avoid-rule as JSON lines or CSV on stdout.</summary>
internal sealed class MemoryExportCommand : Command
{
    private static readonly string[] CsvColumns = ["kind", "id", "workload", "cluster", "context_signature", "patch", "effect", "support", "confidence", "failure_class", "speedup", "status", "last_seen"];
    private readonly Option<string?> _memory = MemoryOptions.Path_();
    private readonly Option<string> _format = new("--format") { Description = "jsonl (one object per line, kind first) or csv.", DefaultValueFactory = _ => "jsonl" };
    private readonly TimeProvider _time;

    public MemoryExportCommand(TimeProvider time)
        : base("export", "Write every run, rule and avoid-rule to stdout as JSON lines or CSV.")
    {
        _time = time;
        _format.AcceptOnlyFromAmong("jsonl", "csv");
        Options.Add(_memory);
        Options.Add(_format);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        using MemoryStore? store = MemoryOptions.Open(parse.GetValue(_memory) ?? MemoryOptions.DefaultPath, _time, parse.InvocationConfiguration.Error);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        DateTimeOffset now = _time.GetUtcNow();
        IReadOnlyDictionary<string, RunLiveness> liveness = store.Liveness();
        List<JsonObject> rows = [.. store.Runs().Select(r => MemoryRows.Run(r, liveness, now)), .. store.Rules().Select(r => MemoryRows.Rule(r, now)), .. store.AllAvoidRules().Select(r => MemoryRows.Avoid(r, now))];
        bool csv = parse.GetValue(_format) == "csv";
        if (csv)
        {
            output.WriteLine(string.Join(',', CsvColumns));
        }

        foreach (JsonObject row in rows)
        {
            output.WriteLine(csv ? string.Join(',', CsvColumns.Select(c => Csv(row, c))) : row.ToJsonString());
        }

        return ExitCodes.Success;
    }

    private static string Csv(JsonObject row, string column)
    {
        string text = row[column] switch
        {
            null => string.Empty,
            JsonObject patch => string.Join(' ', patch.Select(p => $"{p.Key}={p.Value}")),
            JsonNode node => node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString(),
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
