using CclAgent.Testing;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// The shipped examples/traces, with answers derived by hand from the files: the DAG is fetch -> {parse, index} -> report;
/// the heaviest path sums step wall times (retries included); health = 100 x (0.40 completion + 0.25 performance +
/// 0.20 integrity + 0.15 first_try), docs/trace.md.
/// </summary>
public sealed class WorkflowExampleTests
{
    private static TraceReport Analyze(string name) =>
        TraceAnalyzer.Analyze([Path.Combine(RepoPaths.Root, "examples", "traces", name + ".json")], "auto", null);

    [Fact]
    public void Healthy_run_has_the_parse_path_one_parallel_pair_and_full_health()
    {
        TraceReport r = Analyze("healthy");
        r.Format.Should().Be("workflow");
        r.Integrity.Valid.Should().BeTrue();
        r.Integrity.Issues.Should().BeEmpty();
        // fetch 0-1000, parse 1000-3000, index 3000-4000, report 4000-4500: fetch+parse+report = 3500 > fetch+index+report = 2500.
        r.CriticalPath.Ids.Should().Equal("fetch", "parse", "report");
        r.CriticalPath.DurationMs.Should().Be(3500);
        r.CriticalPath.Shares.Select(s => s.Share).Should().Equal(0.2857, 0.5714, 0.1429);
        r.Bottlenecks.Should().BeEmpty();
        // parse and index both depend only on fetch and ran back to back: overlapping saves the shorter (index, 1000 ms).
        r.Parallelism.Should().ContainSingle().Which.Should().BeEquivalentTo(new ParallelismOpportunity(["parse", "index"], 1000));
        r.Health.Score.Should().Be(100);
    }

    [Fact]
    public void Slow_step_is_the_bottleneck_against_its_baseline_p95()
    {
        TraceReport r = Analyze("slow-step");
        // parse ran 1000-7000 = 6000 ms against a p95 of 2500: ratio 2.4.
        r.Bottlenecks.Should().ContainSingle().Which.Should().BeEquivalentTo(new Bottleneck("parse", 6000, 2500, 2.4, "baseline_p95"));
        r.CriticalPath.Ids.Should().Equal("fetch", "parse", "report");
        r.CriticalPath.DurationMs.Should().Be(7500);
        r.Integrity.Valid.Should().BeTrue();
        r.Integrity.Issues.Select(i => i.Kind).Should().Equal("baseline.duration_above_p95");
        // performance = 1 - 1/4 steps: 40 + 18.75 + 20 + 15 = 93.75 -> 94.
        r.Health.Score.Should().Be(94);
    }

    [Fact]
    public void Propagating_failure_separates_the_initiating_step_from_the_skipped_one()
    {
        TraceReport r = Analyze("propagating-failure");
        r.Failures.Initiating.Should().Equal("parse");
        r.Failures.Propagated.Should().ContainSingle().Which.Should().BeEquivalentTo(new PropagatedFailure("report", "skipped", ["parse"]));
        r.Integrity.Valid.Should().BeTrue();
        r.Integrity.Issues.Select(i => i.Kind).Should().Equal("baseline.success_rate");
        // completion 2 of 4 steps: 20 + 25 + 20 + 15 = 80.
        r.Health.Score.Should().Be(80);
    }

    [Fact]
    public void Retry_storm_puts_the_retried_step_on_the_critical_path_and_costs_first_try_health()
    {
        TraceReport r = Analyze("retry-storm");
        r.Failures.Retries.Should().ContainSingle().Which.Should().BeEquivalentTo(new RetriedStep("index", 4, "success"));
        r.Failures.Initiating.Should().BeEmpty();
        // index spans 2000-4000 over its 4 attempts: fetch+index+report = 1000+2000+500 = 3500 > 2500.
        r.CriticalPath.Ids.Should().Equal("fetch", "index", "report");
        r.CriticalPath.DurationMs.Should().Be(3500);
        // first_try = 1 - 3 extra of 7 attempts = 0.5714: 40 + 25 + 20 + 8.571 = 93.57 -> 94.
        r.Health.Components.Single(c => c.Name == "first_try").Value.Should().Be(0.5714);
        r.Health.Score.Should().Be(94);
    }
}
