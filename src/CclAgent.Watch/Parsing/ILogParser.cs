using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>Turns one line of a training log into a record. Parsers may keep state across lines (progress bars, multi-line results).</summary>
public interface ILogParser
{
    LogFormat Format { get; }

    /// <summary>Parses <paramref name="text"/>, the content of log line <paramref name="line"/> (1-based), without its line terminator.</summary>
    LineKind Parse(string text, long line, out MetricRecord? record);
}
