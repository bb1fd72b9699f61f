namespace CclAgent.Diagnosis.Evidence;

/// <summary>Where the line being matched is: source, line number, and the training step in effect.</summary>
internal sealed class LineContext(string source, int sourceIndex)
{
    public string Source { get; } = source;

    /// <summary>Position of the source in the input list; evidence is ordered by (source, line).</summary>
    public int SourceIndex { get; } = sourceIndex;
    public long Line { get; set; }
    public long? Step { get; set; }
}
