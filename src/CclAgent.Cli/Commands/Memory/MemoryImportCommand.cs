using System.CommandLine;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory import FILE`: merge another memory database (another cluster's) into this one.</summary>
internal sealed class MemoryImportCommand : Command
{
    private readonly Argument<FileInfo> _file = new("FILE") { Description = "The memory database to merge in (read only)." };
    private readonly Option<string?> _memory = MemoryOptions.Path_();
    private readonly TimeProvider _time;

    public MemoryImportCommand(TimeProvider time)
        : base("import", "Merge another memory database into this one; runs by id, rules and avoid-rules by id (same context and patch: one row).")
    {
        _time = time;
        Arguments.Add(_file);
        Options.Add(_memory);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        using MemoryStore? source = MemoryOptions.Open(parse.GetRequiredValue(_file).ToString(), _time, error);
        if (source is null)
        {
            return ExitCodes.InvalidInput;
        }

        using MemoryStore target = MemoryStore.Open(parse.GetValue(_memory) ?? MemoryOptions.DefaultPath, _time);
        HashSet<string> knownRuns = [.. target.Runs().Select(r => r.RunId)];
        HashSet<string> knownRules = [.. target.Rules().Select(r => r.Id)];
        HashSet<string> knownAvoid = [.. target.AllAvoidRules().Select(r => r.Id)];
        int runs = 0, rules = 0, avoid = 0, duplicates = 0;
        foreach (RunRecord run in source.Runs().Where(r => !knownRuns.Contains(r.RunId)))
        {
            target.RecordRun(run);
            runs++;
        }

        // A rule already here (same id: same context signature and patch) is not counted twice.
        foreach (RuleRecord rule in source.Rules())
        {
            if (knownRules.Contains(rule.Id)) { duplicates++; continue; }
            target.UpsertRule(rule);
            rules++;
        }

        foreach (AvoidRuleRecord rule in source.AllAvoidRules())
        {
            if (knownAvoid.Contains(rule.Id)) { duplicates++; continue; }
            target.RecordAvoidRule(rule);
            avoid++;
        }

        parse.InvocationConfiguration.Output.WriteLine($"imported {runs} runs, {rules} rules, {avoid} avoid-rules into {target.FilePath}; {duplicates} duplicate rules skipped");
        return ExitCodes.Success;
    }
}
