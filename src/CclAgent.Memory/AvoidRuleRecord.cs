using CclAgent.Core.Context;

namespace CclAgent.Memory;

/// <summary>A patch that failed in a kind of context, so similar contexts can skip it.</summary>
public sealed record AvoidRuleRecord
{
    /// <summary>Left empty, the store computes it with <see cref="RuleIds.AvoidRule"/>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Defaults to <see cref="Features"/>' signature.</summary>
    public string ContextSignature
    {
        get => field ?? Features.Signature;
        init;
    }

    public required ContextFeatures Features { get; init; }

    public required IReadOnlyDictionary<string, string> Patch { get; init; }

    /// <summary>How it failed: the diagnosed category, or else the failure class (e.g. timeout, cuda_oom).</summary>
    public required string FailureClass { get; init; }

    public string Reason { get; init; } = string.Empty;

    /// <summary>Times the failure was recorded; set by the store, ignored on record.</summary>
    public int Occurrences { get; init; }

    /// <summary>Set by the store on record.</summary>
    public DateTimeOffset LastSeen { get; init; }
}
