using CclAgent.Core.Context;

namespace CclAgent.Memory;

/// <summary>
/// A learned "in this kind of context, this patch helps" rule. Upserting the same context and patch
/// again merges into one row, so <see cref="Support"/> counts observations.
/// </summary>
public sealed record RuleRecord
{
    /// <summary>Left empty, the store computes it with <see cref="RuleIds.Rule"/>.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Defaults to <see cref="Features"/>' signature.</summary>
    public string ContextSignature
    {
        get => field ?? Features.Signature;
        init;
    }

    public required ContextFeatures Features { get; init; }

    /// <summary>NCCL env vars the rule sets.</summary>
    public required IReadOnlyDictionary<string, string> Patch { get; init; }

    /// <summary>Relative gain: 0.12 means 12% faster than the baseline. Stored as the mean over observations.</summary>
    public double Effect { get; init; }

    /// <summary>Observations merged into the rule; set by the store, ignored on upsert.</summary>
    public int Support { get; init; }

    public int Successes { get; init; }

    public int Failures { get; init; }

    /// <summary>Where the rule came from, e.g. "run-42/step-7"; deduplicated, newest 20 kept.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    public string Description { get; init; } = string.Empty;

    /// <summary>Set by the store on upsert; drives recency.</summary>
    public DateTimeOffset LastSeen { get; init; }
}
