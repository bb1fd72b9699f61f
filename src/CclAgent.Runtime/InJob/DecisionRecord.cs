namespace CclAgent.Runtime.InJob;

/// <summary>
/// One line of the plugin's decision log (<c>CCL_TUNER_DECISIONS</c>, docs/tuner-plugin.md): a table load, or the calls
/// of one collective under one table and what the plugin did with them (matched row, no row, skipped as unavailable).
/// </summary>
public sealed record DecisionRecord(string Event, long Pid, string? TableId)
{
    public string? Status { get; init; }
    public string? Collective { get; init; }
    public long Bytes { get; init; }
    public int Nodes { get; init; }
    public int Ranks { get; init; }
    public long Calls { get; init; }
    public string? Result { get; init; }
    public int Line { get; init; }
    public string? Algorithm { get; init; }
    public string? Protocol { get; init; }
    public int Channels { get; init; } = -1;
    public int SkippedRows { get; init; }
}
