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
        HashSet<string> knownAvoid = [.. target.AllAvoidRules().Select(r => r.Id)];
        List<RunRecord> newRuns = [.. source.Runs().Where(r => !knownRuns.Contains(r.RunId))];
        foreach (RunRecord run in newRuns)
        {
            target.RecordRun(run);
        }

        // Their trials too: they train the cross-run model of every later run.
        HashSet<string> imported = [.. newRuns.Select(r => r.RunId)];
        int trials = 0;
        foreach (TrialRecord trial in source.Trials().Where(t => imported.Contains(t.RunId)))
        {
            target.RecordTrial(trial);
            trials++;
        }

        // A rule known here from other runs adds its observations; from the same runs (imported before) it is skipped.
        Dictionary<RuleImport, int> rules = Enum.GetValues<RuleImport>().ToDictionary(k => k, _ => 0);
        foreach (RuleRecord rule in source.Rules())
        {
            rules[target.ImportRule(rule)]++;
        }

        int avoid = 0, duplicateAvoid = 0;
        foreach (AvoidRuleRecord rule in source.AllAvoidRules())
        {
            if (knownAvoid.Contains(rule.Id)) { duplicateAvoid++; continue; }
            target.RecordAvoidRule(rule);
            avoid++;
        }

        parse.InvocationConfiguration.Output.WriteLine(
            $"imported {newRuns.Count} runs ({trials} trials), {rules[RuleImport.Added]} new rules, {rules[RuleImport.Merged]} rules merged (counts added), " +
            $"{avoid} avoid-rules into {target.FilePath}; {rules[RuleImport.Duplicate] + duplicateAvoid} duplicates skipped");
        return ExitCodes.Success;
    }
}
