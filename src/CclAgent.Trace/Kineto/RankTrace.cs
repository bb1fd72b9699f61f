namespace CclAgent.Trace.Kineto;

/// <summary>What one Kineto file held: its rank and world size (distributedInfo) and its GPU events.</summary>
internal sealed record RankTrace(string Path, int Rank, int WorldSize, IReadOnlyList<GpuEvent> Gpu, long Events, string? TruncatedAt)
{
    /// <summary>Distinct <c>ProfilerStep#N</c> annotations; 0 when the profiler recorded no schedule.</summary>
    public int Steps { get; init; }

    /// <summary>CPU operators and runtime calls, for the critical path; empty when the trace has none.</summary>
    public IReadOnlyList<CpuEvent> Cpu { get; init; } = [];

    /// <summary>GPU-side sync records (<c>cuda_sync</c>): which stream a sync waited on, and cross-stream event waits.</summary>
    public IReadOnlyList<SyncRecord> Syncs { get; init; } = [];
}
