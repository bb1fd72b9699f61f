using System.CommandLine;
using System.Globalization;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory prune`: delete trials recorded, and rules last seen, longer ago than --older-than.</summary>
internal sealed class MemoryPruneCommand : Command
{
    private readonly Option<string?> _memory = MemoryOptions.Path_();
    private readonly Option<string> _olderThan = new("--older-than") { Description = "Age such as 90d or 12h; trials recorded and rules last seen before it are deleted.", Required = true };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Count what would be deleted, delete nothing." };
    private readonly TimeProvider _time;

    public MemoryPruneCommand(TimeProvider time)
        : base("prune", "Delete old trials, rules and avoid-rules (runs are kept); --dry-run first.")
    {
        _time = time;
        Options.Add(_memory);
        Options.Add(_olderThan);
        Options.Add(_dryRun);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        string age = parse.GetRequiredValue(_olderThan);
        if (!TryAge(age, out TimeSpan olderThan))
        {
            error.WriteLine($"error: --older-than: '{age}' is not an age; expected a positive number followed by d or h, e.g. 90d");
            return ExitCodes.InvalidInput;
        }

        using MemoryStore? store = MemoryOptions.Open(parse.GetValue(_memory) ?? MemoryOptions.DefaultPath, _time, error);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        bool dryRun = parse.GetValue(_dryRun);
        int deleted = store.Prune(olderThan, dryRun);
        parse.InvocationConfiguration.Output.WriteLine(dryRun ? $"would delete {deleted} rows (dry run; nothing deleted)" : $"deleted {deleted} rows");
        return ExitCodes.Success;
    }

    private static bool TryAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || n < 0 || !double.IsFinite(n))
        {
            return false;
        }

        age = text[^1] switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.MinValue };
        return age != TimeSpan.MinValue;
    }
}
