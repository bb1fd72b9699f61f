using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class AvoidRuleTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Recording_the_same_failure_again_counts_occurrences_in_one_row()
    {
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40Pcie));
        _bed.Time.Advance(TimeSpan.FromHours(3));

        AvoidRuleRecord stored = _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40Pcie) with { Reason = "hung again" });

        Assert.Equal(1, _bed.Store.Stats().AvoidRules);
        Assert.Equal(2, stored.Occurrences);
        Assert.Equal("hung again", stored.Reason);
        Assert.Equal(TestBed.Start.AddHours(3), stored.LastSeen);
        Assert.Equal(RuleIds.AvoidRule(Contexts.A40Pcie.Signature, stored.Patch, "hang"), stored.Id);
    }

    [Fact]
    public void The_same_patch_failing_another_way_is_a_separate_avoid_rule()
    {
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40Pcie, "hang"));
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40Pcie, "crash"));

        Assert.Equal(2, _bed.Store.Stats().AvoidRules);
    }

    [Fact]
    public void Avoid_rules_are_retrieved_from_similar_contexts_only_most_similar_first()
    {
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40NvLink));
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40PcieEightNodes));
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.H100NvLink));

        IReadOnlyList<ScoredAvoidRule> rules = _bed.Store.AvoidRules(Contexts.A40Pcie);

        Assert.Equal([Contexts.A40PcieEightNodes.Signature, Contexts.A40NvLink.Signature], rules.Select(r => r.Rule.ContextSignature));
        Assert.Equal([0.95, 0.8], rules.Select(r => r.Similarity));
        Assert.Single(_bed.Store.AvoidRules(Contexts.A40Pcie, minSimilarity: 0.9));
    }
}
