namespace CclAgent.Trace.Kineto;

/// <summary>What one Kineto file held: its rank and world size (distributedInfo) and its GPU events.</summary>
internal sealed record RankTrace(string Path, int Rank, int WorldSize, IReadOnlyList<GpuEvent> Gpu, long Events, string? TruncatedAt)
{
    /// <summary>Distinct <c>ProfilerStep#N</c> annotations; 0 when the profiler recorded no schedule.</summary>
    public int Steps { get; init; }
}
