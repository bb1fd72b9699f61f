using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// Two real ranks of one job (Fixtures/hta-2ranks/SOURCE.md); expected values come from Fixtures/hta-2ranks/expected.py,
/// which reads the raw JSON with Python alone.
/// </summary>
public sealed class KinetoTwoRankFixtureTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "hta-2ranks");

    [Fact]
    public void Each_real_rank_gets_the_breakdown_and_overlap_the_independent_script_derives()
    {
        TraceReport r = TraceAnalyzer.Analyze([Dir], "auto", null);
        r.Breakdown.Should().Equal(
            new RankBreakdown(0, 1222847, 210320, 396199, 1325, 675191),
            new RankBreakdown(1, 1231186, 271973, 379053, 16504, 651136));
        r.Overlap.Select(o => o.Ratio).Should().Equal(0.1495, 0.1993);
    }

    [Fact]
    public void Send_receive_kernels_whose_peers_are_unnamed_are_not_matched_into_stragglers()
    {
        TraceAnalyzer.Analyze([Dir], "auto", null).Stragglers.Should().BeEmpty();
    }

    [Fact]
    public void The_critical_path_of_the_two_ranks_covers_the_job_without_gaps()
    {
        CriticalPathSection p = TraceAnalyzer.Analyze([Dir], "auto", null).CriticalPath;
        p.Ids.Should().NotBeEmpty();
        p.Kinds.Sum(k => k.DurationMs).Should().BeApproximately(p.DurationMs, 0.01);
        p.Shares.Sum(s => s.DurationMs).Should().BeLessThanOrEqualTo(p.DurationMs + 0.01);
    }
}
