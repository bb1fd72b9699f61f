using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// A parser that can read a line in place, from the reader's reused buffer. Implemented by the formats whose logs run to
/// millions of lines, so that the common line costs no string; every other parser gets the line as a string.
/// </summary>
internal interface ISpanLogParser
{
    /// <summary>Same result as <see cref="ILogParser.Parse"/> for the same text.</summary>
    LineKind Parse(ReadOnlySpan<char> text, long line, out MetricRecord? record);
}
