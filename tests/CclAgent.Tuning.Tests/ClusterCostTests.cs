using System.Text.Json.Nodes;
using CclAgent.Core.Steps;
using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Runtime.Simulated;
using CclAgent.Simulation;
using CclAgent.Testing;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Records;
using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Tuning.Tests;

/// <summary>The microbenchmark's cluster-time stopping rule and the run's cluster-seconds accounting.</summary>
public sealed class ClusterCostTests : IDisposable
{
    private const string L40s = "l40s-1x8-pcie-ddp";
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = TuningHarness.NewTime();

    public void Dispose() => _temp.Dispose();

    private static async Task<(SearchSpace Space, MicrobenchmarkResult Bench)> BenchAsync(double? remainingIterations, int seed = 11)
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        spec = spec with { TuningCost = new TuningCostSpec { RemainingIterations = remainingIterations } };
        var platform = NcclPlatform.FromCluster(spec.Cluster!);
        CollectiveOp[] ops = spec.Iteration!.Collectives!.Select(c => OpNames.Parse(c.Op!)).Distinct().ToArray();
        SearchSpace space = SearchSpace.For(platform, ops);
        var cluster = new SimulatedCluster(spec, new SimulationOptions { Seed = seed });
        return (space, await new Microbenchmark(new SimulatedCollectiveBenchmark(cluster), space).RunAsync(spec, CancellationToken.None));
    }

    private static int Subspaces(SearchSpace space) => space.Dimension(ParameterSpace.Algo)!.Values.Count * space.Dimension(ParameterSpace.Proto)!.Values.Count;

    [Fact]
    public async Task A_job_with_no_iterations_left_ranks_every_subspace_but_sweeps_nothing()
    {
        (SearchSpace space, MicrobenchmarkResult bench) = await BenchAsync(remainingIterations: 0);

        bench.StopReason.Should().Be(MicrobenchmarkStops.GainBelowCost);
        bench.Collectives.Should().AllSatisfy(c => c.Sweeps.Should().BeEmpty());
        bench.Runs.Should().Be(bench.Collectives.Count * (1 + Subspaces(space)));
        bench.SweepDecisions.Should().NotBeEmpty().And.AllSatisfy(d => d.Measured.Should().BeFalse());
    }

    [Fact]
    public async Task A_long_job_measures_every_sweep_that_could_beat_the_best_so_far()
    {
        (_, MicrobenchmarkResult bench) = await BenchAsync(remainingIterations: 1e9);

        bench.SweepDecisions.Where(d => d.ExpectedSavingSeconds > 0).Should().NotBeEmpty().And.AllSatisfy(d => d.Measured.Should().BeTrue());
        bench.Collectives.Should().AllSatisfy(c => c.Sweeps.Should().NotBeEmpty());
    }

    [Fact]
    public async Task Each_weighed_sweep_records_its_plausible_saving_against_its_cost()
    {
        (_, MicrobenchmarkResult bench) = await BenchAsync(remainingIterations: null);

        bench.RemainingIterations.Should().Be(TuningCostModel.DefaultRemainingIterations);
        bench.SweepDecisions.Should().AllSatisfy(d =>
        {
            d.CostSeconds.Should().BePositive();
            d.Measured.Should().Be(d.ExpectedSavingSeconds >= d.CostSeconds);
        });
    }

    [Fact]
    public async Task Simulated_runs_are_charged_at_least_their_start_each()
    {
        (_, MicrobenchmarkResult bench) = await BenchAsync(remainingIterations: null);
        double start = TuningCostModel.For(await TuningHarness.LoadShippedAsync(L40s)).MicrobenchmarkStartSeconds;

        bench.ClusterSeconds.Should().BeGreaterThanOrEqualTo(bench.Runs * start);
    }

    [Fact]
    public async Task The_stopping_rule_is_deterministic()
    {
        (_, MicrobenchmarkResult first) = await BenchAsync(remainingIterations: 2000);
        (_, MicrobenchmarkResult second) = await BenchAsync(remainingIterations: 2000);

        second.Runs.Should().Be(first.Runs);
        second.SweepDecisions.Should().Equal(first.SweepDecisions);
        second.ClusterSeconds.Should().Be(first.ClusterSeconds);
    }

    [Fact]
    public async Task The_summary_charges_the_microbenchmark_and_every_job_run_baseline_and_confirm_included()
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(L40s);
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);

        HarnessRun result = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(L40s), _temp.Path, memory, _time, "run-cost", budget: 4);

        TuningSummary summary = result.Outcome.Summary!;
        IReadOnlyList<StepRecord> steps = result.Outcome.Steps;
        TuningCostModel cost = TuningCostModel.For(spec);
        steps.Should().Contain(s => s.Kind == StepKind.Confirm);
        steps.Should().AllSatisfy(s => s.ClusterSeconds.Should().BeGreaterThanOrEqualTo(cost.JobStartSeconds));
        summary.MicrobenchmarkClusterSeconds.Should().BePositive();
        summary.ClusterSeconds.Should().BeApproximately(summary.MicrobenchmarkClusterSeconds + steps.Sum(s => s.ClusterSeconds), 0.01);
        summary.GpuHours.Should().BeApproximately(summary.ClusterSeconds * cost.Gpus / 3600, 0.001);
        JsonNode written = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(result.Run.Postrun, "summary.json")))!;
        written["cluster_seconds"]!.GetValue<double>().Should().Be(summary.ClusterSeconds);
        JsonNode bench = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(result.Run.Offline, "microbenchmark.json")))!;
        bench["stop_reason"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        bench["cluster_seconds"]!.GetValue<double>().Should().Be(summary.MicrobenchmarkClusterSeconds);
    }
}
