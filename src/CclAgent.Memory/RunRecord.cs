using System.Collections.ObjectModel;

using CclAgent.Core.Context;

namespace CclAgent.Memory;

/// <summary>One tuning run as memory keeps it: recorded at start, updated (by run id) when it finishes.</summary>
public sealed record RunRecord
{
    public required string RunId { get; init; }

    /// <summary>Defaults to <see cref="Features"/>' signature so the two cannot drift apart by accident.</summary>
    public string ContextSignature
    {
        get => field ?? Features.Signature;
        init;
    }

    public required ContextFeatures Features { get; init; }

    public required string WorkloadName { get; init; }

    public required string Mode { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Null while the run is in progress; only finished runs seed a warm start.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    public double? BaselineIterationMs { get; init; }

    public double? BestIterationMs { get; init; }

    public double? Speedup { get; init; }

    /// <summary>NCCL env var name to value; empty means the default config.</summary>
    public IReadOnlyDictionary<string, string> BestConfig { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    public string? StopReason { get; init; }

    public int Trials { get; init; }
}
