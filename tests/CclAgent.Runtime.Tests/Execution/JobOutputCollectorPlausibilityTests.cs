using System.Text.RegularExpressions;
using CclAgent.Runtime.Execution;

namespace CclAgent.Runtime.Tests.Execution;

/// <summary>Impossible iteration times are never samples: the collector reports them as implausible.</summary>
public sealed class JobOutputCollectorPlausibilityTests
{
    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1e-300")]
    [InlineData("1e308")]
    [InlineData("1e400")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    public void An_impossible_ccl_metrics_time_is_reported_as_implausible_and_never_kept_as_a_sample(string value)
    {
        var collector = new JobOutputCollector();
        collector.AddStdoutLine("CCL_METRICS {\"iteration_ms\": 20.5}");
        collector.AddStdoutLine($"CCL_METRICS {{\"iteration_ms\": {value}, \"tokens\": 1e400}}");
        collector.AddStdoutLine("CCL_METRICS {\"iteration_ms\": 20.7}");

        JobOutputSummary summary = collector.Complete(warmupIterations: 0);

        summary.ImplausibleLine.Should().Contain("CCL_METRICS line 2").And.Contain("not a plausible iteration time");
        summary.IterationMs.Should().Equal(20.5, 20.7);
    }

    [Fact]
    public void A_job_printing_only_impossible_times_is_implausible_rather_than_silent()
    {
        var collector = new JobOutputCollector();
        collector.AddStdoutLine("CCL_METRICS {\"iteration_ms\": -1000}");
        collector.AddStdoutLine("CCL_METRICS {\"iteration_ms\": 1e-300}");

        JobOutputSummary summary = collector.Complete(warmupIterations: 0);

        summary.Source.Should().Be("ccl_metrics");
        summary.IterationMs.Should().BeEmpty();
        summary.ImplausibleLine.Should().Contain("-1000");
    }

    [Fact]
    public void A_negative_time_matched_by_the_iteration_regex_is_implausible()
    {
        var collector = new JobOutputCollector(new Regex(@"step time (?<ms>-?[0-9.e+-]+) ms", RegexOptions.None, TimeSpan.FromSeconds(1)));
        collector.AddStdoutLine("step time 12.5 ms");
        collector.AddStdoutLine("step time -3 ms");

        JobOutputSummary summary = collector.Complete(warmupIterations: 0);

        summary.ImplausibleLine.Should().Contain("iteration regex match 2").And.Contain("-3");
    }

    [Fact]
    public void An_nccl_tests_table_with_a_negative_time_is_implausible()
    {
        var collector = new JobOutputCollector();
        foreach (string line in new[]
        {
            "#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong",
            "     1048576        262144     float     sum      -1   -61.35   17.09   29.91      0    60.80   17.25   30.18      0",
        })
        {
            collector.AddStdoutLine(line);
        }

        JobOutputSummary summary = collector.Complete(warmupIterations: 0);

        summary.IterationMs.Should().BeEmpty();
        summary.ImplausibleLine.Should().Contain("-61.35");
    }
}
