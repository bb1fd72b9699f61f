using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class RuleUpsertTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Upserting_the_same_rule_again_merges_counts_effect_and_evidence()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie) with { Effect = 0.10, Successes = 1, Evidence = ["run-1/step-3"] });
        _bed.Time.Advance(TimeSpan.FromDays(2));

        RuleRecord merged = _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie) with
        {
            Effect = 0.20,
            Successes = 1,
            Failures = 1,
            Evidence = ["run-1/step-3", "run-2/step-5"],
            Description = "Tree wins again",
        });

        Assert.Equal(1, _bed.Store.Stats().Rules);
        Assert.Equal(2, merged.Support);
        Assert.Equal(0.15, merged.Effect, precision: 12);
        Assert.Equal((2, 1), (merged.Successes, merged.Failures));
        Assert.Equal(["run-1/step-3", "run-2/step-5"], merged.Evidence);
        Assert.Equal("Tree wins again", merged.Description);
        Assert.Equal(TestBed.Start.AddDays(2), merged.LastSeen);
        Assert.Equal(merged.Id, _bed.Store.RetrieveRules(Contexts.A40Pcie, 10).Single().Rule.Id);
    }

    [Fact]
    public void The_effect_is_the_mean_of_every_observed_gain()
    {
        foreach (double gain in new[] { 0.1, 0.2, 0.6 })
        {
            _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie) with { Effect = gain });
        }

        RuleRecord rule = _bed.Store.RetrieveRules(Contexts.A40Pcie, 1).Single().Rule;

        Assert.Equal(3, rule.Support);
        Assert.Equal(0.3, rule.Effect, precision: 12);
    }

    [Fact]
    public void Evidence_keeps_the_newest_twenty_distinct_entries()
    {
        for (int i = 0; i < 25; i++)
        {
            _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie) with { Evidence = [$"run-{i}", "run-0"] });
        }

        RuleRecord rule = _bed.Store.RetrieveRules(Contexts.A40Pcie, 1).Single().Rule;

        Assert.Equal(20, rule.Evidence.Count);
        Assert.Equal("run-24", rule.Evidence[^1]);
        Assert.Equal(rule.Evidence.Count, rule.Evidence.Distinct().Count());
    }

    [Fact]
    public void A_rule_id_is_a_stable_hash_of_context_and_patch_whatever_the_patch_order()
    {
        var forward = Records.Config(("NCCL_ALGO", "Tree"), ("NCCL_PROTO", "Simple"));
        var backward = Records.Config(("NCCL_PROTO", "Simple"), ("NCCL_ALGO", "Tree"));

        RuleRecord first = _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie, forward));
        RuleRecord second = _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie, backward));

        Assert.Matches("^[0-9a-f]{16}$", first.Id);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(RuleIds.Rule(Contexts.A40Pcie.Signature, backward), first.Id);
        Assert.NotEqual(first.Id, RuleIds.Rule(Contexts.A40NvLink.Signature, forward));
    }

    [Fact]
    public void Rules_for_another_context_or_patch_are_kept_apart()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40NvLink));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie, Records.Config(("NCCL_ALGO", "Ring"))));

        Assert.Equal(3, _bed.Store.Stats().Rules);
    }

    [Fact]
    public void A_rule_without_a_patch_is_refused()
    {
        Assert.Throws<ArgumentException>(() => _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie, new Dictionary<string, string>())));
    }
}
