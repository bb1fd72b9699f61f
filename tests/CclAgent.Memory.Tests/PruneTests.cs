using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class PruneTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Pruning_deletes_old_trials_and_rules_but_keeps_runs_and_recent_rows()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40Pcie));
        _bed.Time.Advance(TimeSpan.FromDays(40));
        _bed.Store.RecordTrial(Records.Trial("run-1", 1));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40NvLink));

        int deleted = _bed.Store.Prune(TimeSpan.FromDays(30));

        Assert.Equal(3, deleted);
        Assert.Equal(new MemoryStats { Runs = 1, Trials = 1, Rules = 1, AvoidRules = 0 }, _bed.Store.Stats());
        Assert.Equal(1, _bed.Store.Trials().Single().Step);
    }

    [Fact]
    public void Pruning_a_fresh_memory_deletes_nothing()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));

        Assert.Equal(0, _bed.Store.Prune(TimeSpan.FromDays(1)));
    }

    [Fact]
    public void A_rule_seen_again_survives_pruning()
    {
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));
        _bed.Time.Advance(TimeSpan.FromDays(40));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));

        Assert.Equal(0, _bed.Store.Prune(TimeSpan.FromDays(30)));
    }
}
