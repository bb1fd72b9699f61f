namespace CclAgent.Memory.Storage;

/// <summary>The parts of a retrieved rule's score.</summary>
internal static class RuleScoring
{
    /// <summary>A rule last seen this many days ago weighs 1/e as much as a fresh one.</summary>
    private const double RecencyDays = 30;

    public static ScoredRule Score(RuleRecord rule, double similarity, DateTimeOffset now)
    {
        double recency = Recency(rule.LastSeen, now);
        double successRate = SuccessRate(rule.Successes, rule.Failures);
        return new ScoredRule
        {
            Rule = rule,
            Similarity = similarity,
            Recency = recency,
            SuccessRate = successRate,
            Score = similarity * recency * successRate,
        };
    }

    // A clock behind the row's last_seen (another machine's skew) counts as fresh, not as a bonus.
    public static double Recency(DateTimeOffset lastSeen, DateTimeOffset now) =>
        Math.Exp(-Math.Max(0, (now - lastSeen).TotalDays) / RecencyDays);

    /// <summary>Laplace-smoothed, so one lucky trial is not certainty and an untried rule sits at 0.5.</summary>
    public static double SuccessRate(int successes, int failures) => (successes + 1.0) / (successes + failures + 2.0);
}
