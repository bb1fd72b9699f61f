using CclAgent.Bench.Results;
using CclAgent.Bench.Strategies;

namespace CclAgent.Bench.Tests;

public sealed class ConvergenceMetricsTests
{
    // Oracle 100 ms, NCCL default 120 ms: the default is at 0.83333 of the oracle.
    private static readonly ScenarioOracle Oracle = new("s", 100, 120, new Dictionary<string, string>(), 10, 0);

    private static TrialPoint Point(int trial, double incumbentMs, bool hazardous = false, double risk = 0) =>
        new(trial, "default", incumbentMs, incumbentMs, hazardous, risk, "default", incumbentMs);

    private static StrategyRun Run(params TrialPoint[] points) => new(points, 0, 1);

    private static BenchRecord Record(string strategy, int trialsTo2pct, double fractionAt1 = 1) => new()
    {
        Strategy = strategy,
        Scenario = "s",
        Seed = 1,
        OracleFractionAt = new Dictionary<string, double> { ["1"] = fractionAt1 },
        TrialsTo2pct = trialsTo2pct,
        HazardousApplied = 0,
        RiskyApplied = 0,
        SpeedupVsDefault = 1,
        MicrobenchmarkRuns = 0,
        ElapsedMs = 0,
        Convergence = [fractionAt1],
    };

    [Fact]
    public void Oracle_fraction_is_reported_only_at_checkpoints_within_the_budget()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 8, Run(Enumerable.Range(1, 8).Select(k => Point(k, 120)).ToArray()), Oracle);

        Assert.Equal(["1", "4", "8"], record.OracleFractionAt.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(8, record.Convergence.Count);
    }

    [Fact]
    public void A_budget_of_32_reports_every_checkpoint()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 32, Run(Point(1, 120)), Oracle);

        Assert.Equal(["1", "16", "32", "4", "8"], record.OracleFractionAt.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Oracle_fraction_at_k_uses_the_incumbent_of_the_last_trial_at_or_before_k()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 8, Run(Point(1, 120), Point(2, 110), Point(3, 110), Point(4, 105), Point(5, 100)), Oracle);

        Assert.Equal(Math.Round(100 / 120.0, 5), record.OracleFractionAt["1"]);
        Assert.Equal(Math.Round(100 / 105.0, 5), record.OracleFractionAt["4"]);
        Assert.Equal(1.0, record.OracleFractionAt["8"]); // trials 6-8 never ran: the last incumbent stays deployed
    }

    [Fact]
    public void Oracle_fraction_is_capped_at_one()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 1, Run(Point(1, 95)), Oracle);

        Assert.Equal(1.0, record.OracleFractionAt["1"]);
    }

    [Fact]
    public void Without_trials_the_default_is_deployed_throughout()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 4, Run(), Oracle);

        Assert.All(record.Convergence, f => Assert.Equal(Math.Round(100 / 120.0, 5), f));
        Assert.Equal(1.0, record.SpeedupVsDefault);
        Assert.Equal(5, record.TrialsTo2pct);
    }

    [Fact]
    public void Trials_to_2pct_is_budget_plus_one_when_never_within_2_percent()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 8, Run(Enumerable.Range(1, 8).Select(k => Point(k, 102.5)).ToArray()), Oracle);

        Assert.Equal(9, record.TrialsTo2pct);
    }

    [Fact]
    public void Trials_to_2pct_is_the_first_trial_whose_incumbent_is_within_2_percent()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 8, Run(Point(1, 120), Point(2, 110), Point(3, 101.9), Point(4, 100)), Oracle);

        Assert.Equal(3, record.TrialsTo2pct);
    }

    [Fact]
    public void Trials_to_2pct_is_one_when_the_first_trial_is_already_within_2_percent()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 4, Run(Point(1, 100)), Oracle);

        Assert.Equal(1, record.TrialsTo2pct);
    }

    [Fact]
    public void Hazardous_and_risky_trials_are_counted_with_risk_at_the_threshold_counting_as_risky()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 4, Run(
            Point(1, 120, hazardous: true, risk: 0.49),
            Point(2, 120, hazardous: false, risk: 0.5),
            Point(3, 120, hazardous: true, risk: 0.95),
            Point(4, 120)), Oracle);

        Assert.Equal(2, record.HazardousApplied);
        Assert.Equal(2, record.RiskyApplied);
    }

    [Fact]
    public void Speedup_vs_default_is_default_time_over_the_last_incumbent_time()
    {
        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 4, Run(Point(1, 120), Point(2, 101)), Oracle);

        Assert.Equal(Math.Round(120 / 101.0, 4), record.SpeedupVsDefault);
    }

    [Fact]
    public void Aggregate_median_of_an_odd_count_is_the_middle_value()
    {
        BenchRecord[] records = [Record("a", 9), Record("a", 1), Record("a", 3), Record("b", 100)];

        BenchAggregate aggregate = ConvergenceMetrics.Aggregate("a", records, 1);

        Assert.Equal(3, aggregate.Runs);
        Assert.Equal(3, aggregate.MedianTrialsTo2pct);
    }

    [Fact]
    public void Aggregate_median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        BenchRecord[] records = [Record("a", 9), Record("a", 2), Record("a", 6), Record("a", 4)];

        BenchAggregate aggregate = ConvergenceMetrics.Aggregate("a", records, 1);

        Assert.Equal(5, aggregate.MedianTrialsTo2pct);
    }

    [Fact]
    public void Aggregate_averages_only_the_strategys_own_records()
    {
        BenchRecord[] records = [Record("a", 1, 0.8), Record("a", 1, 0.9), Record("b", 1, 0.1)];

        BenchAggregate aggregate = ConvergenceMetrics.Aggregate("a", records, 1);

        Assert.Equal(0.85, aggregate.MeanOracleFractionAt["1"], 5);
        Assert.Equal(0.85, aggregate.MeanConvergence[0], 5);
    }
}
