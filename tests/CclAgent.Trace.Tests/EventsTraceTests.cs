using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// <c>trace analyze</c> on a run directory (Fixtures/events/SOURCE.md). By hand: root chains e1+e3 = 160 ms,
/// e4+e5 = 220 ms, e6+e7 = 60 ms, so the critical path is e4 → e5, 220 ms, shares 200/220 and 20/220; "tool" events
/// 30, 60, 20, 10 ms have median 25, and only e3 (60 ≥ 2 × 25) is a bottleneck, ratio 2.4; e6 failed first, e7 under it.
/// </summary>
public sealed class EventsTraceTests
{
    private static readonly string Run = Path.Combine(AppContext.BaseDirectory, "Fixtures", "events", "run");

    [Fact]
    public void A_run_directory_is_read_as_its_event_log_up_to_the_line_that_breaks_off()
    {
        TraceReport r = TraceAnalyzer.Analyze([Run], "auto", null);
        r.Format.Should().Be("events");
        r.Graph.Nodes.Should().Equal("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8");
        r.Graph.Edges.Should().Equal(new GraphEdge("e1", "e2"), new GraphEdge("e1", "e3"), new GraphEdge("e4", "e5"), new GraphEdge("e6", "e7"));
        r.Integrity.Valid.Should().BeFalse();
        r.Integrity.Issues.Select(i => i.Kind).Should().Equal("temporal.truncated", "dependency.missing");
        r.Integrity.Issues[0].Message.Should().Contain("at line 9");
        r.Integrity.Issues[1].Ids.Should().Equal("e8", "e9");
    }

    [Fact]
    public void The_critical_path_is_the_heaviest_parent_chain_by_duration()
    {
        CriticalPathSection path = TraceAnalyzer.Analyze([Run], "auto", null).CriticalPath;
        path.Ids.Should().Equal("e4", "e5");
        path.DurationMs.Should().Be(220);
        path.Shares.Should().Equal(new PathShare("e4", 200, 0.9091), new PathShare("e5", 20, 0.0909));
    }

    [Fact]
    public void An_event_twice_its_types_median_is_a_bottleneck_and_failures_split_into_initiating_and_propagated()
    {
        TraceReport r = TraceAnalyzer.Analyze([Run], "events", null);
        r.Bottlenecks.Should().Equal(new Bottleneck("e3", 60, 25, 2.4, "type_median"));
        r.Failures.Initiating.Should().Equal("e6");
        r.Failures.Propagated.Should().BeEquivalentTo([new PropagatedFailure("e7", "failed", ["e6"])]);
    }

    [Fact]
    public void A_log_whose_first_line_is_not_json_is_rejected_naming_the_file_and_line()
    {
        string path = Path.Combine(Path.GetTempPath(), $"events-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, "not json\n");
        try
        {
            Action analyze = () => TraceAnalyzer.Analyze([path], "auto", null);
            analyze.Should().Throw<TraceInputException>().WithMessage($"{path}:1: not a JSON event line*");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
