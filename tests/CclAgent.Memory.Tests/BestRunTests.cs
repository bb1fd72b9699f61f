using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class BestRunTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void The_most_similar_finished_run_wins_over_a_faster_run_elsewhere()
    {
        _bed.Store.RecordRun(Records.Finished("nvlink", Contexts.A40NvLink, 1.8, TestBed.Start));
        _bed.Store.RecordRun(Records.Finished("eight-nodes", Contexts.A40PcieEightNodes, 1.2, TestBed.Start));
        _bed.Store.RecordRun(Records.Run("unfinished", Contexts.A40Pcie));

        SimilarRun? best = _bed.Store.BestRun(Contexts.A40Pcie, minSimilarity: 0.5);

        Assert.NotNull(best);
        Assert.Equal("eight-nodes", best.Run.RunId);
        Assert.Equal(0.95, best.Similarity);
        Assert.Equal("NCCL_ALGO=Tree", ConfigKeys.Of(best.Run.BestConfig));
    }

    [Fact]
    public void Among_equally_similar_runs_the_best_speedup_then_the_newest_wins()
    {
        _bed.Store.RecordRun(Records.Finished("slow", Contexts.A40Pcie, 1.1, TestBed.Start.AddDays(3)));
        _bed.Store.RecordRun(Records.Finished("fast-old", Contexts.A40Pcie, 1.4, TestBed.Start));
        _bed.Store.RecordRun(Records.Finished("fast-new", Contexts.A40Pcie, 1.4, TestBed.Start.AddDays(1)));

        Assert.Equal("fast-new", _bed.Store.BestRun(Contexts.A40Pcie, 0.5)?.Run.RunId);
    }

    [Fact]
    public void No_run_is_returned_when_none_is_similar_enough()
    {
        _bed.Store.RecordRun(Records.Finished("hopper", Contexts.H100NvLink, 1.5, TestBed.Start));

        Assert.Null(_bed.Store.BestRun(Contexts.A40Pcie, minSimilarity: 0.5));
    }
}
