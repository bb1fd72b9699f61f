using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class PruneFilterTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void A_minimum_confidence_deletes_weak_rules_and_nothing_else()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie) with { Successes = 0, Failures = 1 });
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40NvLink) with { Successes = 1, Failures = 0 });
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40Pcie));

        int deleted = _bed.Store.Prune(new PruneFilter { MinConfidence = 0.5 });

        deleted.Should().Be(1);
        _bed.Store.Rules().Should().ContainSingle().Which.ContextSignature.Should().Be(Contexts.A40NvLink.Signature);
        _bed.Store.Stats().Should().Be(new MemoryStats { Runs = 1, Trials = 1, Rules = 1, AvoidRules = 1 });
    }

    [Fact]
    public void A_workload_filter_deletes_only_that_workloads_trials()
    {
        _bed.Store.RecordRun(Records.Run("run-1") with { WorkloadName = "llama3-8b-fsdp" });
        _bed.Store.RecordRun(Records.Run("run-2") with { WorkloadName = "vgg19" });
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));
        _bed.Store.RecordTrial(Records.Trial("run-2", 0));

        int deleted = _bed.Store.Prune(new PruneFilter { Workload = "vgg19" });

        deleted.Should().BeGreaterThanOrEqualTo(1);
        _bed.Store.Trials().Should().ContainSingle().Which.RunId.Should().Be("run-1");
    }

    [Fact]
    public void Filters_combine_so_a_row_must_match_all_of_them()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie) with { Successes = 0, Failures = 1 });
        _bed.Time.Advance(TimeSpan.FromDays(40));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40NvLink) with { Successes = 0, Failures = 1 });

        int deleted = _bed.Store.Prune(new PruneFilter { MinConfidence = 0.5, OlderThan = TimeSpan.FromDays(30) });

        deleted.Should().Be(1);
        _bed.Store.Rules().Should().ContainSingle().Which.ContextSignature.Should().Be(Contexts.A40NvLink.Signature);
    }

    [Fact]
    public void A_dry_run_counts_what_it_would_delete_and_keeps_it()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie) with { Successes = 0, Failures = 1 });

        _bed.Store.Prune(new PruneFilter { MinConfidence = 0.5 }, dryRun: true).Should().Be(1);

        _bed.Store.Rules().Should().HaveCount(1);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(-1.0, null)]
    [InlineData(null, 1.5)]
    public void A_filter_without_a_criterion_or_out_of_range_is_refused(double? ageDays, double? minConfidence)
    {
        var filter = new PruneFilter { OlderThan = ageDays is { } d ? TimeSpan.FromDays(d) : null, MinConfidence = minConfidence };

        FluentActions.Invoking(() => _bed.Store.Prune(filter)).Should().Throw<ArgumentException>();
    }
}
