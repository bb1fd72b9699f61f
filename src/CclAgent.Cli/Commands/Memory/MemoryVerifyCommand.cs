using System.CommandLine;
using System.Text.Json.Nodes;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory verify`: integrity check; unreadable rows go to the quarantine side table.</summary>
internal sealed class MemoryVerifyCommand : Command
{
    private readonly Option<string?> _memory = MemoryOptions.Path_();
    private readonly Option<bool> _json = MemoryOptions.Json();
    private readonly TimeProvider _time;

    public MemoryVerifyCommand(TimeProvider time)
        : base("verify", "Check the memory database; rows that cannot be read are quarantined (side table) and listed.")
    {
        _time = time;
        Options.Add(_memory);
        Options.Add(_json);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        using MemoryStore? store = MemoryOptions.Open(parse.GetValue(_memory) ?? MemoryOptions.DefaultPath, _time, error);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        IReadOnlyList<QuarantinedRow> quarantined;
        try
        {
            quarantined = store.VerifyRows();
        }
        catch (MemoryStoreException ex)
        {
            error.WriteLine($"error: --memory {store.FilePath}: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        bool ok = quarantined.Count == 0;
        if (parse.GetValue(_json))
        {
            output.WriteLine(new JsonObject
            {
                ["ok"] = ok,
                ["quarantined"] = new JsonArray([.. quarantined.Select(q => (JsonNode)MemoryRows.Quarantined(q))]),
            }.ToJsonString());
        }
        else
        {
            output.WriteLine(ok ? $"ok: {store.FilePath}: every row readable" : $"{store.FilePath}: {quarantined.Count} rows quarantined (skipped by tune)");
            foreach (QuarantinedRow row in quarantined)
            {
                output.WriteLine($"  {row.Table}/{row.RowId}: {row.Reason}");
            }
        }

        return ok ? ExitCodes.Success : ExitCodes.InvalidInput;
    }
}
