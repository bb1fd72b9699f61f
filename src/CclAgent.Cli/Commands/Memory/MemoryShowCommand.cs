using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory show ID`: one run, rule or avoid-rule in full, as JSON.</summary>
internal sealed class MemoryShowCommand : Command
{
    private readonly Argument<string> _id = new("ID") { Description = "A run id, rule id or avoid-rule id, as memory list shows it." };
    private readonly Option<string?> _memory = MemoryOptions.Path_();
    private readonly Option<bool> _json = MemoryOptions.Json();
    private readonly TimeProvider _time;

    public MemoryShowCommand(TimeProvider time)
        : base("show", "Show one run, rule or avoid-rule in full.")
    {
        _time = time;
        Arguments.Add(_id);
        Options.Add(_memory);
        Options.Add(_json);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        using MemoryStore? store = MemoryOptions.Open(parse.GetValue(_memory) ?? MemoryOptions.DefaultPath, _time, error);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        string id = parse.GetRequiredValue(_id);
        DateTimeOffset now = _time.GetUtcNow();
        JsonObject? found = store.Runs().Where(r => r.RunId == id).Select(r => MemoryRows.Run(r, store.Liveness(), now)).FirstOrDefault()
            ?? store.Rules().Where(r => r.Id == id).Select(r => MemoryRows.Rule(r, now)).FirstOrDefault()
            ?? store.AllAvoidRules().Where(r => r.Id == id).Select(r => MemoryRows.Avoid(r, now)).FirstOrDefault();
        if (found is null)
        {
            error.WriteLine($"error: ID: '{id}' is not a run, rule or avoid-rule in {store.FilePath}; expected an id from memory list");
            return ExitCodes.InvalidInput;
        }

        // Indented for people, one line for scripts.
        parse.InvocationConfiguration.Output.WriteLine(found.ToJsonString(new JsonSerializerOptions { WriteIndented = !parse.GetValue(_json) }));
        return ExitCodes.Success;
    }
}
