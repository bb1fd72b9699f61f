using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// <c>trace analyze</c> on a run directory (Fixtures/events/SOURCE.md, where the critical path is derived by hand);
/// "tool" events 30, 60, 20, 10 ms have median 25, and only e3 (60 ≥ 2 × 25) is a bottleneck, ratio 2.4; e6 failed
/// first, e7 under it.
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
    public void The_critical_path_walks_back_through_nested_spans_to_what_each_waited_for_last()
    {
        CriticalPathSection path = TraceAnalyzer.Analyze([Run], "auto", null).CriticalPath;
        path.Ids.Should().Equal("e1", "e2", "e3", "e4", "e5", "e6", "e7");
        path.DurationMs.Should().Be(460);
        path.Shares.Should().BeEquivalentTo([
            new PathShare("e1", 10, 0.0217), new PathShare("e2", 30, 0.0652), new PathShare("e3", 60, 0.1304), new PathShare("e4", 180, 0.3913),
            new PathShare("e5", 20, 0.0435), new PathShare("e6", 40, 0.087), new PathShare("e7", 10, 0.0217)]);
        path.Kinds.Should().Equal(new PathShare("idle", 110, 0.2391), new PathShare("phase", 10, 0.0217), new PathShare("tool", 120, 0.2609), new PathShare("trial", 220, 0.4783));
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
    public void A_real_tune_run_folds_its_start_and_end_events_into_spans_and_its_path_runs_through_all_three_phases()
    {
        TraceReport r = TraceAnalyzer.Analyze([Path.Combine(AppContext.BaseDirectory, "Fixtures", "events", "tune-run")], "auto", null);
        r.Integrity.Valid.Should().BeTrue();
        r.Graph.Nodes.Should().HaveCount(95);
        r.CriticalPath.DurationMs.Should().Be(2218.871);
        r.CriticalPath.Ids.Should().Contain(["e000001", "e000011", "e000156"]);
        r.CriticalPath.Kinds.Sum(k => k.DurationMs).Should().BeApproximately(2218.871, 0.01);
        r.Failures.Initiating.Should().Equal("e000008", "e000009");

        // By hand: 2 of 95 spans failed; the bottlenecks are counted over the 81 spans with a duration; no integrity issue.
        r.Health.Components.Should().HaveCount(3);
        r.Health.Components[0].Should().Be(new HealthComponent("completion", 0.9789, 0.50));
        r.Health.Components[1].Value.Should().Be(Math.Round(1 - ((double)r.Bottlenecks.Count / 81), 4));
        r.Health.Components[2].Should().Be(new HealthComponent("integrity", 1, 0.20));
    }

    [Fact]
    public void A_span_that_never_ended_is_reported_and_lasts_until_its_last_descendant()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"events-open-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(dir, "trace"));
        File.WriteAllLines(Path.Combine(dir, "trace", "events.jsonl"), [
            """{"ts":"2026-12-03T11:00:00.000+00:00","event_id":"e1","parent_id":null,"type":"phase.online.start","status":"started","actor":"loop"}""",
            """{"ts":"2026-12-03T11:00:00.250+00:00","event_id":"e2","parent_id":"e1","type":"tool.result","status":"ok","duration_ms":250,"actor":"runner"}"""]);
        try
        {
            TraceReport r = TraceAnalyzer.Analyze([dir], "auto", null);
            r.Integrity.Issues.Should().ContainSingle().Which.Kind.Should().Be("temporal.unfinished_span");
            r.CriticalPath.Ids.Should().Equal("e2");
            r.CriticalPath.DurationMs.Should().Be(250);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
