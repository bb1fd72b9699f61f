using System.Text.RegularExpressions;

namespace CclAgent.Core.Workloads;

/// <summary>
/// The iteration-time regex of <c>metrics.iteration_regex</c>: one shared definition for the validator
/// (which reports a bad pattern before anything runs) and the process runner (which uses it).
/// </summary>
public static class IterationPattern
{
    /// <summary>The named group holding the milliseconds.</summary>
    public const string MillisecondsGroup = "ms";

    /// <summary>Compiles the pattern; <see cref="ArgumentException"/> for bad syntax or a missing <c>ms</c> group, with an example.</summary>
    public static Regex Compile(string pattern)
    {
        // A bounded match time: the pattern comes from user configuration and runs on every output line.
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        if (!regex.GetGroupNames().Contains(MillisecondsGroup))
        {
            throw new ArgumentException($"the iteration regex \"{pattern}\" has no named group \"{MillisecondsGroup}\"; write it like \"step time: (?<ms>[0-9.]+) ms\"");
        }

        return regex;
    }
}
