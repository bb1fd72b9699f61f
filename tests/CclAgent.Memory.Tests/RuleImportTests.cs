using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class RuleImportTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void An_unknown_rule_is_added_with_its_counts_kept()
    {
        RuleRecord rule = Learned(support: 4, successes: 3, failures: 1, effect: 0.2, "run:a");

        _bed.Store.ImportRule(rule).Should().Be(RuleImport.Added);

        RuleRecord stored = _bed.Store.Rules().Single();
        (stored.Support, stored.Successes, stored.Failures, stored.Effect).Should().Be((4, 3, 1, 0.2));
    }

    [Fact]
    public void A_known_rule_from_other_runs_adds_its_counts_and_weights_the_effect_by_support()
    {
        _bed.Store.ImportRule(Learned(support: 1, successes: 1, failures: 0, effect: 0.1, "run:a"));

        _bed.Store.ImportRule(Learned(support: 3, successes: 2, failures: 1, effect: 0.3, "run:b")).Should().Be(RuleImport.Merged);

        RuleRecord stored = _bed.Store.Rules().Single();
        (stored.Support, stored.Successes, stored.Failures).Should().Be((4, 3, 1));
        stored.Effect.Should().BeApproximately(0.25, 1e-12);
        stored.Evidence.Should().Contain(["run:a", "run:b"]);
    }

    [Fact]
    public void Importing_the_same_rule_again_changes_nothing()
    {
        RuleRecord rule = Learned(support: 2, successes: 2, failures: 0, effect: 0.1, "run:a");
        _bed.Store.ImportRule(rule);

        _bed.Store.ImportRule(rule).Should().Be(RuleImport.Duplicate);

        _bed.Store.Rules().Single().Support.Should().Be(2);
    }

    private static RuleRecord Learned(int support, int successes, int failures, double effect, params string[] evidence) =>
        Records.Rule(Contexts.A40Pcie) with
        {
            Support = support,
            Successes = successes,
            Failures = failures,
            Effect = effect,
            Evidence = evidence,
            LastSeen = TestBed.Start,
        };
}
