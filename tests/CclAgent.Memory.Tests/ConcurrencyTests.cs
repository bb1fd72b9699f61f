using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

/// <summary>Two store instances on one file stand in for two ccl-agent processes: each has its own SQLite connection.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int WritesPerStore = 200;

    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task Two_stores_inserting_trials_into_one_file_at_once_lose_nothing()
    {
        using MemoryStore first = _bed.Open();
        using MemoryStore second = _bed.Open();
        first.RecordRun(Records.Run("run-a"));
        second.RecordRun(Records.Run("run-b"));

        await InParallel(
            () => InsertTrials(first, "run-a"),
            () => InsertTrials(second, "run-b"));

        IReadOnlyList<TrialRecord> trials = _bed.Store.Trials();
        Assert.Equal(2 * WritesPerStore, trials.Count);
        Assert.Equal(Enumerable.Range(0, WritesPerStore), trials.Where(t => t.RunId == "run-b").Select(t => t.Step).Order());
    }

    [Fact]
    public async Task Two_stores_upserting_the_same_rule_at_once_merge_every_observation()
    {
        using MemoryStore first = _bed.Open();
        using MemoryStore second = _bed.Open();

        await InParallel(
            () => UpsertRule(first),
            () => UpsertRule(second));

        RuleRecord rule = _bed.Store.RetrieveRules(Contexts.A40Pcie, 1).Single().Rule;
        Assert.Equal(2 * WritesPerStore, rule.Support);
        Assert.Equal(2 * WritesPerStore, rule.Successes);
    }

    [Fact]
    public async Task One_store_shared_by_several_threads_stays_consistent()
    {
        MemoryStore store = _bed.Store;
        store.RecordRun(Records.Run("run-a"));
        store.RecordRun(Records.Run("run-b"));

        await InParallel(
            () => InsertTrials(store, "run-a"),
            () => InsertTrials(store, "run-b"),
            () => UpsertRule(store));

        Assert.Equal(new MemoryStats { Runs = 2, Trials = 2 * WritesPerStore, Rules = 1, AvoidRules = 0 }, store.Stats());
    }

    // A barrier makes the writers start together, so their writes really interleave.
    private static async Task InParallel(params Action[] writers)
    {
        using var barrier = new Barrier(writers.Length);
        Task[] tasks = writers
            .Select(writer => Task.Factory.StartNew(
                () =>
                {
                    Assert.True(barrier.SignalAndWait(TimeSpan.FromSeconds(10)), "The writers never all started.");
                    writer();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToArray();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static void InsertTrials(MemoryStore store, string runId)
    {
        for (int step = 0; step < WritesPerStore; step++)
        {
            store.RecordTrial(Records.Trial(runId, step, Records.Config(("NCCL_NTHREADS", $"{64 * (step % 8 + 1)}"))));
        }
    }

    private static void UpsertRule(MemoryStore store)
    {
        for (int i = 0; i < WritesPerStore; i++)
        {
            store.UpsertRule(Records.Rule(Contexts.A40Pcie) with { Successes = 1 });
        }
    }
}
