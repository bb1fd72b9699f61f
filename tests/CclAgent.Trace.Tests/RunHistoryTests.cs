using System.Globalization;
using CclAgent.Testing;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// <c>--history</c> against examples/traces/slow-step.json (bottleneck parse, critical path 7500 ms, no failures).
/// Earlier runs are hand-written analysis.json files holding only the fields the history reads.
/// </summary>
public sealed class RunHistoryTests : IDisposable
{
    private static readonly string SlowStep = Path.Combine(RepoPaths.Root, "examples", "traces", "slow-step.json");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"trace-history-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private void Earlier(string run, string bottleneck, double criticalMs)
    {
        Directory.CreateDirectory(Path.Combine(_dir, run));
        string json = "{\"bottlenecks\": [{\"id\": \"" + bottleneck + "\"}], \"failures\": {\"initiating\": []}, \"critical_path\": {\"duration_ms\": "
            + criticalMs.ToString(CultureInfo.InvariantCulture) + "}}";
        File.WriteAllText(Path.Combine(_dir, run, "analysis.json"), json);
    }

    [Fact]
    public void A_step_slow_in_this_run_and_in_most_earlier_runs_is_a_recurring_pattern()
    {
        Earlier("run1", "parse", 7400);
        Earlier("run2", "parse", 7600);
        Earlier("run3", "load", 7500);
        TraceReport r = TraceAnalyzer.WithHistory(TraceAnalyzer.Analyze([SlowStep], "auto", null), _dir);
        r.Patterns.Should().Equal("slow repeatedly: parse in this run and 2 of 3 earlier runs");
    }

    [Fact]
    public void A_critical_path_over_a_fifth_longer_than_the_earlier_median_is_a_regression()
    {
        // Earlier 5000, 6000, 9000 ms: median 6000; 7500 / 6000 = 1.25 > 1.2. parse was slow in 1 of 3: no recurrence.
        Earlier("a", "parse", 5000);
        Earlier("b", "load", 6000);
        Earlier("c", "load", 9000);
        TraceReport r = TraceAnalyzer.WithHistory(TraceAnalyzer.Analyze([SlowStep], "auto", null), _dir);
        r.Patterns.Should().Equal("regression: critical path 7500 ms vs median 6000 ms of 3 earlier runs (1.25x)");
    }

    [Fact]
    public void An_earlier_file_that_is_not_an_analysis_is_rejected_naming_it()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "bad"));
        string bad = Path.Combine(_dir, "bad", "analysis.json");
        File.WriteAllText(bad, "{\"bottlenecks\": [");
        Action history = () => TraceAnalyzer.WithHistory(TraceAnalyzer.Analyze([SlowStep], "auto", null), _dir);
        history.Should().Throw<TraceInputException>().WithMessage($"{bad}: not a trace analysis.json*");
    }
}
