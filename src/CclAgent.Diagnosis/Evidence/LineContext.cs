namespace CclAgent.Diagnosis.Evidence;

/// <summary>Where the line being matched is: source name, line number, and the training step in effect.</summary>
internal sealed class LineContext(string source)
{
    public string Source { get; } = source;
    public long Line { get; set; }
    public long? Step { get; set; }
}
