namespace CclAgent.Memory.Storage;

/// <summary>How a new observation of a rule folds into the stored one.</summary>
internal static class RuleMerge
{
    /// <summary>Enough provenance to explain a rule without the row growing forever.</summary>
    public const int EvidenceCap = 20;

    public static RuleRecord First(RuleRecord observed, string id, DateTimeOffset now) => observed with
    {
        Id = id,
        Support = 1,
        Evidence = Evidence([], observed.Evidence),
        LastSeen = now,
    };

    public static RuleRecord Merge(RuleRecord stored, RuleRecord observed, DateTimeOffset now)
    {
        int support = stored.Support + 1;
        return stored with
        {
            Features = observed.Features,
            // Incremental mean: every observation weighs the same, without keeping them all.
            Effect = stored.Effect + ((observed.Effect - stored.Effect) / support),
            Support = support,
            Successes = stored.Successes + observed.Successes,
            Failures = stored.Failures + observed.Failures,
            Evidence = Evidence(stored.Evidence, observed.Evidence),
            Description = observed.Description.Length > 0 ? observed.Description : stored.Description,
            LastSeen = now,
        };
    }

    public static AvoidRuleRecord First(AvoidRuleRecord observed, string id, DateTimeOffset now) => observed with
    {
        Id = id,
        Occurrences = 1,
        LastSeen = now,
    };

    public static AvoidRuleRecord Merge(AvoidRuleRecord stored, AvoidRuleRecord observed, DateTimeOffset now) => stored with
    {
        Features = observed.Features,
        Reason = observed.Reason.Length > 0 ? observed.Reason : stored.Reason,
        Occurrences = stored.Occurrences + 1,
        LastSeen = now,
    };

    /// <summary>Appends unseen entries in order and keeps the newest <see cref="EvidenceCap"/>.</summary>
    private static List<string> Evidence(IEnumerable<string> stored, IEnumerable<string> observed) =>
        stored.Concat(observed).Distinct(StringComparer.Ordinal).TakeLast(EvidenceCap).ToList();
}
