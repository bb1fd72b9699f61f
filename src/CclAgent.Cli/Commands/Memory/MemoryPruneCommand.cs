using System.CommandLine;
using System.Globalization;
using CclAgent.Memory;

namespace CclAgent.Cli.Commands.Memory;

/// <summary>`ccl-agent memory prune`: delete old, low-confidence or one workload's trials and rules; runs are kept.</summary>
internal sealed class MemoryPruneCommand : Command
{
    private readonly Option<string?> _memory = MemoryOptions.Path_();
    private readonly Option<string?> _olderThan = new("--older-than") { Description = "Age such as 90d or 12h: trials recorded and rules last seen before it." };
    private readonly Option<string?> _minConfidence = new("--min-confidence") { Description = "Rules whose confidence (successes over observations, as memory list shows) is below this, 0 to 1; rules only." };
    private readonly Option<string?> _workload = new("--workload") { Description = "Trials of this workload's runs, and rules and avoid-rules of their contexts." };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Count what would be deleted, delete nothing." };
    private readonly TimeProvider _time;

    public MemoryPruneCommand(TimeProvider time)
        : base("prune", "Delete trials, rules and avoid-rules matching every filter given (runs are kept); --dry-run first.")
    {
        _time = time;
        Options.Add(_memory);
        Options.Add(_olderThan);
        Options.Add(_minConfidence);
        Options.Add(_workload);
        Options.Add(_dryRun);
        SetAction(Execute);
    }

    private int Execute(ParseResult parse)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        if (Filter(parse, error) is not { } filter)
        {
            return ExitCodes.InvalidInput;
        }

        using MemoryStore? store = MemoryOptions.Open(parse.GetValue(_memory) ?? MemoryOptions.DefaultPath, _time, error);
        if (store is null)
        {
            return ExitCodes.InvalidInput;
        }

        bool dryRun = parse.GetValue(_dryRun);
        int deleted = store.Prune(filter, dryRun);
        parse.InvocationConfiguration.Output.WriteLine(dryRun ? $"would delete {deleted} rows (dry run; nothing deleted)" : $"deleted {deleted} rows");
        return ExitCodes.Success;
    }

    private PruneFilter? Filter(ParseResult parse, TextWriter error)
    {
        string? age = parse.GetValue(_olderThan), confidence = parse.GetValue(_minConfidence), workload = parse.GetValue(_workload);
        TimeSpan? olderThan = null;
        double? minConfidence = null;
        if (age is not null)
        {
            if (!TryAge(age, out TimeSpan parsed))
            {
                error.WriteLine($"error: --older-than: '{age}' is not an age; expected a positive number followed by d or h, e.g. 90d");
                return null;
            }

            olderThan = parsed;
        }

        if (confidence is not null)
        {
            if (!double.TryParse(confidence, NumberStyles.Float, CultureInfo.InvariantCulture, out double c) || !(c is >= 0 and <= 1))
            {
                error.WriteLine($"error: --min-confidence: '{confidence}' is not a confidence; expected a number from 0 to 1, e.g. 0.5");
                return null;
            }

            minConfidence = c;
        }

        var filter = new PruneFilter { OlderThan = olderThan, MinConfidence = minConfidence, Workload = string.IsNullOrWhiteSpace(workload) ? null : workload };
        if (filter.IsEmpty)
        {
            error.WriteLine("error: memory prune: no filter; expected at least one of --older-than, --min-confidence or --workload");
            return null;
        }

        return filter;
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
