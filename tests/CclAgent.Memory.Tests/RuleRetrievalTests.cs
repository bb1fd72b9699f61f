using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class RuleRetrievalTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Rules_from_a_similar_context_rank_above_rules_from_a_different_fabric()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40NvLink));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));

        IReadOnlyList<ScoredRule> rules = _bed.Store.RetrieveRules(Contexts.A40Pcie, 10);

        Assert.Equal([Contexts.A40Pcie.Signature, Contexts.A40NvLink.Signature], rules.Select(r => r.Rule.ContextSignature));
        Assert.Equal([1.0, 0.8], rules.Select(r => r.Similarity));
        Assert.True(rules[0].Score > rules[1].Score);
    }

    [Fact]
    public void The_score_is_similarity_times_recency_times_laplace_success_rate()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40NvLink) with { Successes = 3, Failures = 1 });

        ScoredRule rule = _bed.Store.RetrieveRules(Contexts.A40Pcie, 10).Single();

        Assert.Equal(0.8, rule.Similarity);
        Assert.Equal(1.0, rule.Recency);
        Assert.Equal(4.0 / 6.0, rule.SuccessRate, precision: 12);
        Assert.Equal(0.8 * 1.0 * (4.0 / 6.0), rule.Score, precision: 12);
    }

    [Fact]
    public void A_rule_unseen_for_sixty_days_scores_lower_by_exp_minus_two()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));
        ScoredRule fresh = _bed.Store.RetrieveRules(Contexts.A40Pcie, 1).Single();

        _bed.Time.Advance(TimeSpan.FromDays(60));
        ScoredRule stale = _bed.Store.RetrieveRules(Contexts.A40Pcie, 1).Single();

        Assert.Equal(Math.Exp(-2), stale.Recency, precision: 12);
        Assert.True(stale.Score < fresh.Score);
        Assert.Equal(fresh.Score * Math.Exp(-2), stale.Score, precision: 12);
    }

    [Fact]
    public void A_rule_that_keeps_working_ranks_above_one_that_keeps_failing()
    {
        var tree = Records.Config(("NCCL_ALGO", "Tree"));
        var ll = Records.Config(("NCCL_PROTO", "LL"));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie, ll) with { Successes = 0, Failures = 3 });
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie, tree) with { Successes = 3, Failures = 0 });

        IReadOnlyList<ScoredRule> rules = _bed.Store.RetrieveRules(Contexts.A40Pcie, 10);

        Assert.Equal(["NCCL_ALGO=Tree", "NCCL_PROTO=LL"], rules.Select(r => ConfigKeys.Of(r.Rule.Patch)));
        Assert.Equal([0.8, 0.2], rules.Select(r => Math.Round(r.SuccessRate, 12)));
    }

    [Fact]
    public void Rules_below_the_minimum_similarity_or_past_the_limit_are_left_out()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40PcieEightNodes));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40NvLink));
        _bed.Store.UpsertRule(Records.Rule(Contexts.H100NvLink));

        Assert.Equal(3, _bed.Store.RetrieveRules(Contexts.A40Pcie, 10).Count);
        Assert.Equal(2, _bed.Store.RetrieveRules(Contexts.A40Pcie, 10, minSimilarity: 0.9).Count);
        Assert.Equal(Contexts.A40Pcie.Signature, _bed.Store.RetrieveRules(Contexts.A40Pcie, 1).Single().Rule.ContextSignature);
        Assert.Empty(_bed.Store.RetrieveRules(Contexts.A40Pcie, 0));
    }
}
