using CclAgent.Bench.Results;
using CclAgent.Bench.Scenarios;
using CclAgent.Bench.Strategies;
using CclAgent.Core.Workloads;
using CclAgent.Testing;
using static CclAgent.Bench.Tests.BenchTestSupport;

namespace CclAgent.Bench.Tests;

/// <summary>Cluster seconds: how each strategy is charged, and the curve, totals and time to 2% the metrics derive from it.</summary>
public sealed class ClusterTimeTests : IDisposable
{
    // Oracle 100 ms, NCCL default 120 ms.
    private static readonly ScenarioOracle Oracle = new("s", 100, 120, new Dictionary<string, string>(), 10, 0);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static TrialPoint Point(int trial, double incumbentMs, double seconds) =>
        new(trial, "default", incumbentMs, incumbentMs, false, 0, "default", incumbentMs) { ClusterSeconds = seconds };

    [Fact]
    public void The_curve_starts_with_the_setup_and_adds_each_trial_and_stays_flat_after_the_last()
    {
        var run = new StrategyRun([Point(1, 120, 10), Point(2, 110, 20), Point(3, 100, 30)], 0, 1) { SetupClusterSeconds = 500, TrailingClusterSeconds = 7, Gpus = 8 };

        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 5, run, Oracle);

        record.ClusterSeconds.Should().Equal(510, 530, 560, 560, 560);
        record.ClusterSecondsTo2pct.Should().Be(560);
        record.ClusterSecondsTotal.Should().Be(567);
        record.GpuHoursTotal.Should().BeApproximately(567 * 8 / 3600.0, 1e-4);
    }

    [Fact]
    public void Cluster_seconds_to_2pct_is_null_when_never_within_2_percent()
    {
        var run = new StrategyRun([Point(1, 120, 10), Point(2, 110, 10)], 0, 1);

        BenchRecord record = ConvergenceMetrics.Score("x", "s", 1, 2, run, Oracle);

        record.ClusterSecondsTo2pct.Should().BeNull();
        record.ClusterSecondsTotal.Should().Be(20);
    }

    [Fact]
    public void The_aggregate_median_counts_a_run_that_never_got_there_as_infinite()
    {
        BenchRecord[] records =
        [
            ConvergenceMetrics.Score("a", "s", 1, 2, new StrategyRun([Point(1, 100, 10)], 0, 1), Oracle),
            ConvergenceMetrics.Score("a", "s", 2, 2, new StrategyRun([Point(1, 120, 10)], 0, 1), Oracle),
            ConvergenceMetrics.Score("a", "s", 3, 2, new StrategyRun([Point(1, 120, 10)], 0, 1), Oracle),
        ];

        BenchAggregate aggregate = ConvergenceMetrics.Aggregate("a", records, 2);

        aggregate.MedianClusterSecondsTo2pct.Should().BeNull();
        aggregate.RunsReaching2pct.Should().Be(1);
        aggregate.MeanClusterSeconds.Should().Equal(10, 10);
    }

    [Fact]
    public async Task In_job_autoccl_starts_the_job_once_and_pays_less_per_candidate_than_the_restart_variant()
    {
        BenchScenario scenario = await LoadScenarioAsync(H100);
        TuningCostModel cost = TuningCostModel.For(scenario.Workload);

        StrategyRun inJob = await new AutocclCdStrategy().RunAsync(Input(scenario, 1, 8, _temp.Path), CancellationToken.None);
        StrategyRun restart = await new AutocclCdStrategy(restartPerTrial: true).RunAsync(Input(scenario, 1, 8, _temp.Path), CancellationToken.None);

        inJob.SetupClusterSeconds.Should().BeGreaterThanOrEqualTo(cost.JobStartSeconds);
        restart.SetupClusterSeconds.Should().Be(0);
        restart.Trials.Should().AllSatisfy(t => t.ClusterSeconds.Should().BeGreaterThanOrEqualTo(cost.JobStartSeconds));
        inJob.Trials.Where(t => !t.Hazardous).Should().AllSatisfy(t => t.ClusterSeconds.Should().BeLessThan(cost.JobStartSeconds));
        (inJob.SetupClusterSeconds + inJob.Trials.Sum(t => t.ClusterSeconds)).Should().BeLessThan(restart.Trials.Sum(t => t.ClusterSeconds));
        inJob.Trials[0].ConfigKey.Should().Be(restart.Trials[0].ConfigKey);
    }

    [Fact]
    public void An_in_job_candidate_needs_the_iterations_that_profile_its_least_called_collective_five_times()
    {
        WorkloadSpec Calls(params int[] counts) => new()
        {
            Iteration = new IterationSpec { Collectives = counts.Select(c => new CollectiveSpec { Op = "all_reduce", Bytes = 1, Count = c }).ToList() },
        };

        new AutocclInJobEvaluation(Calls(80, 40)).Iterations.Should().Be(1);
        new AutocclInJobEvaluation(Calls(80, 2)).Iterations.Should().Be(3);
        new AutocclInJobEvaluation(Calls(1)).Iterations.Should().Be(AutocclInJobEvaluation.ProfileRepeat);
    }

    [Fact]
    public async Task Nccl_default_runs_in_one_job_and_random_restarts_for_every_trial()
    {
        BenchScenario scenario = await LoadScenarioAsync(L40s);
        TuningCostModel cost = TuningCostModel.For(scenario.Workload);

        StrategyRun nccl = await new NcclDefaultStrategy().RunAsync(Input(scenario, 1, 4, _temp.Path), CancellationToken.None);
        StrategyRun random = await new RandomStrategy().RunAsync(Input(scenario, 1, 4, _temp.Path), CancellationToken.None);

        nccl.SetupClusterSeconds.Should().BeGreaterThanOrEqualTo(cost.JobStartSeconds);
        nccl.Trials.Should().AllSatisfy(t => t.ClusterSeconds.Should().BeLessThan(cost.JobStartSeconds));
        random.Trials.Should().AllSatisfy(t => t.ClusterSeconds.Should().BeGreaterThanOrEqualTo(cost.JobStartSeconds));
    }
}
