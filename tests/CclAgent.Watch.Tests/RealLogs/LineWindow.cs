namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>A line window of a log (1-based, inclusive) where something must happen.</summary>
internal sealed record LineWindow(string Name, int FromLine, int ToLine)
{
    public bool Contains(int line) => line >= FromLine && line <= ToLine;

    public bool Overlaps(int from, int to) => from <= ToLine && to >= FromLine;
}
