using System.Collections.ObjectModel;
using CclAgent.Core.Steps;

namespace CclAgent.Memory;

/// <summary>One measured (or failed) configuration within a run.</summary>
public sealed record TrialRecord
{
    public required string RunId { get; init; }

    public required int Step { get; init; }

    public required StepKind Kind { get; init; }

    public required string ContextSignature { get; init; }

    /// <summary>NCCL env var name to value; empty means the default config.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Computed from <see cref="Config"/> unless given.</summary>
    public string ConfigKey
    {
        get => field ?? ConfigKeys.Of(Config);
        init;
    }

    public double? IterationMs { get; init; }

    public required StepStatus Status { get; init; }

    public string? FailureClass { get; init; }

    /// <summary>Left default, the store stamps it with its clock's current time.</summary>
    public DateTimeOffset RecordedAt { get; init; }
}
