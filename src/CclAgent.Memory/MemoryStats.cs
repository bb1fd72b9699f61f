namespace CclAgent.Memory;

/// <summary>Row counts of the memory database.</summary>
public sealed record MemoryStats
{
    public required int Runs { get; init; }

    public required int Trials { get; init; }

    public required int Rules { get; init; }

    public required int AvoidRules { get; init; }
}
