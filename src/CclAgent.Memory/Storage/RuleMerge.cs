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

    /// <summary>
    /// Folds a rule learned elsewhere (another memory's row, with its own counts) into the stored one: observations add
    /// up and the effect is their support-weighted mean. Null when every run the imported rule cites is already cited
    /// here: the same observations, imported before.
    /// </summary>
    public static RuleRecord? Absorb(RuleRecord stored, RuleRecord imported)
    {
        HashSet<string> known = [.. stored.Evidence];
        List<string> runs = [.. imported.Evidence.Where(e => e.StartsWith("run:", StringComparison.Ordinal))];
        if (runs.Count == 0 ? imported.Evidence.All(known.Contains) : runs.All(known.Contains))
        {
            return null;
        }

        int support = stored.Support + imported.Support;
        return stored with
        {
            Effect = support > 0 ? ((stored.Effect * stored.Support) + (imported.Effect * imported.Support)) / support : imported.Effect,
            Support = support,
            Successes = stored.Successes + imported.Successes,
            Failures = stored.Failures + imported.Failures,
            Evidence = Evidence(stored.Evidence, imported.Evidence),
            LastSeen = imported.LastSeen > stored.LastSeen ? imported.LastSeen : stored.LastSeen,
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
