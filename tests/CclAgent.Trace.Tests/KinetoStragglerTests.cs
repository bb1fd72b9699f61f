using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// Stragglers on the hand-written 3-rank fixture (Fixtures/straggler/SOURCE.md). By hand: all-reduce starts
/// 300/310/350 and 1300/1310/1350, all-gather 600/610/670 and 1600/1610/1690; rank 2 is last in all 4 calls with
/// margins over the second-latest rank of 40, 40, 60, 80 us: mean 55, median 50.
/// </summary>
public sealed class KinetoStragglerTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "straggler");

    [Fact]
    public void The_rank_that_starts_each_collective_last_is_the_straggler_with_its_mean_and_median_lateness()
    {
        TraceReport r = TraceAnalyzer.Analyze([Dir], "auto", null);
        r.Stragglers.Should().ContainSingle().Which.Should().Be(new StragglerRow(Rank: 2, Collectives: 4, Matched: 4, LateUsMean: 55, LateUsMedian: 50));
    }

    [Fact]
    public void Kernels_of_one_call_ending_60_us_apart_are_reported_as_clock_skew_of_that_rank()
    {
        // By hand: kernel ends differ from rank 0's by the rank's offsets (durations are equal): rank 1 by 10, 10, 10, 10
        // (median 10, under the 50 us threshold); rank 2 by 50, 70, 50, 90 (median 60).
        TraceReport r = TraceAnalyzer.Analyze([Dir], "auto", null);
        r.Integrity.Issues.Should().ContainSingle(i => i.Kind == "temporal.clock_skew")
            .Which.Message.Should().StartWith("rank 2's clock reads 60 us ahead of rank 0's (median over 4 collective calls");
    }

    [Fact]
    public void A_single_rank_trace_has_no_stragglers()
    {
        string fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hta", "nccl_data.json.gz");
        TraceAnalyzer.Analyze([fixture], "kineto", null).Stragglers.Should().BeEmpty();
    }

    [Fact]
    public void Two_ranks_make_the_later_one_a_straggler_once_its_median_margin_reaches_ten_microseconds()
    {
        // Ranks 0 and 1 only: rank 1 is last in all 4 calls by 10 us each, exactly the minimum margin; ranks 0 and 2
        // (margins 50, 50, 70, 90: mean 65, median 60) make rank 2 the straggler.
        TraceAnalyzer.Analyze([Path.Combine(Dir, "rank0.json"), Path.Combine(Dir, "rank1.json")], "kineto", null).Stragglers
            .Should().ContainSingle().Which.Should().Be(new StragglerRow(1, 4, 4, 10, 10));
        TraceAnalyzer.Analyze([Path.Combine(Dir, "rank0.json"), Path.Combine(Dir, "rank2.json")], "kineto", null).Stragglers
            .Should().ContainSingle().Which.Should().Be(new StragglerRow(2, 4, 4, 65, 60));
    }

    [Fact]
    public void The_text_report_names_the_straggler()
    {
        TraceTextWriter.Render(TraceAnalyzer.Analyze([Dir], "auto", null)).Should().Contain("straggler: rank 2 last in 4 of 4 collectives, late by mean 55 us, median 50 us");
    }
}
