using CclAgent.Core.Workloads;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Nccl.Search;
using CclAgent.Runtime.Simulated;
using CclAgent.Simulation;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Search;

namespace CclAgent.Tuning.Tests;

public sealed class SurrogateTests
{
    [Fact]
    public void Expected_improvement_is_positive_with_uncertainty()
    {
        Assert.True(SurrogateDescentSearch.ExpectedImprovement(100, 100, 2) > 0);
        Assert.True(SurrogateDescentSearch.ExpectedImprovement(100, 105, 2) > 0);
        Assert.True(SurrogateDescentSearch.ExpectedImprovement(100, 95, 2) > 0);
    }

    [Fact]
    public void Expected_improvement_is_larger_for_a_lower_predicted_mean()
    {
        double slower = SurrogateDescentSearch.ExpectedImprovement(100, 99, 2);
        double faster = SurrogateDescentSearch.ExpectedImprovement(100, 95, 2);

        Assert.True(faster > slower);
    }

    [Theory]
    [InlineData(100, 90, 10)]
    [InlineData(100, 100, 0)]
    [InlineData(100, 110, 0)]
    public void Expected_improvement_at_zero_std_is_the_plain_improvement(double best, double mean, double expected)
    {
        Assert.Equal(expected, SurrogateDescentSearch.ExpectedImprovement(best, mean, 0), 12);
        Assert.Equal(Math.Max(0, best - mean), SurrogateDescentSearch.ExpectedImprovement(best, mean, 0), 12);
    }

    [Fact]
    public async Task Microbenchmark_on_a_workload_reports_parameter_importance_and_profiles()
    {
        (WorkloadSpec spec, MicrobenchmarkResult bench) = await BenchAsync("l40s-1x8-pcie-ddp");

        Assert.NotEmpty(bench.Importance);
        Assert.Contains(ParameterSpace.Algo, bench.Importance.Keys);
        Assert.All(bench.Importance.Values, v => Assert.True(v >= 0));
        Assert.Equal(spec.Iteration!.Collectives!.Count, bench.Collectives.Count);
        Assert.True(bench.Runs > 0);
        Assert.All(bench.Collectives, p => Assert.NotEmpty(p.SubspaceTimeUs));
    }

    [Theory]
    [InlineData("l40s-1x8-pcie-ddp", 777.0)]
    [InlineData("h100-1x8-nvswitch-tp8", 123.4)]
    public async Task Predicting_the_default_config_after_anchoring_returns_the_anchor(string workload, double anchor)
    {
        (WorkloadSpec spec, MicrobenchmarkResult bench) = await BenchAsync(workload);
        var surrogate = new IterationSurrogate(bench, spec.Iteration!.ComputeMs ?? 0, spec.Cluster!.SmCount ?? 108, new SimulatedCluster(spec, new SimulationOptions()).Space);

        surrogate.Anchor(NcclConfig.Default, anchor);
        (double mean, double std) = surrogate.Predict(NcclConfig.Default);

        Assert.Equal(anchor, mean, 6);
        Assert.True(std >= 0);
    }

    [Fact]
    public async Task Observing_the_default_at_its_anchor_keeps_the_prediction()
    {
        (WorkloadSpec spec, MicrobenchmarkResult bench) = await BenchAsync("l40s-1x8-pcie-ddp");
        var surrogate = new IterationSurrogate(bench, spec.Iteration!.ComputeMs ?? 0, spec.Cluster!.SmCount ?? 108, new SimulatedCluster(spec, new SimulationOptions()).Space);
        surrogate.Anchor(NcclConfig.Default, 700);

        surrogate.Observe(NcclConfig.Default, 700);

        Assert.Equal(700, surrogate.Predict(NcclConfig.Default).Mean, 6);
    }

    [Fact]
    public async Task A_trial_pulls_the_prediction_toward_its_measurement_and_shrinks_uncertainty_nearby()
    {
        (WorkloadSpec spec, MicrobenchmarkResult bench) = await BenchAsync("l40s-1x8-pcie-ddp");
        var surrogate = new IterationSurrogate(bench, spec.Iteration!.ComputeMs ?? 0, spec.Cluster!.SmCount ?? 108, new SimulatedCluster(spec, new SimulationOptions()).Space);
        surrogate.Anchor(NcclConfig.Default, 700);
        NcclConfig tried = NcclConfig.Default.With("NCCL_P2P_LEVEL", "PHB");
        NcclConfig far = NcclConfig.Default.With("NCCL_ALGO", "Tree").With("NCCL_PROTO", "LL").With("NCCL_NTHREADS", "64");
        (double before, double stdBefore) = surrogate.Predict(tried);

        surrogate.Observe(tried, before * 0.9);
        (double after, double stdAfter) = surrogate.Predict(tried);

        Assert.InRange(after, before * 0.89, before * 0.93);
        Assert.True(stdAfter < stdBefore);
        Assert.True(surrogate.Predict(far).StdDev / surrogate.Predict(far).Mean > stdAfter / after);
    }

    [Theory]
    [InlineData("l40s-1x8-pcie-ddp", false)]
    [InlineData("h100-2x8-ib400-fsdp", false)]
    [InlineData("autoccl-a40-4x8-yi34b", true)]
    public async Task Ranking_the_space_from_tables_is_the_ranking_by_predicting_every_configuration(string workload, bool crossRunPrior)
    {
        (WorkloadSpec spec, MicrobenchmarkResult bench) = await BenchAsync(workload);
        SearchSpace space = new SimulatedCluster(spec, new SimulationOptions()).Space;
        var surrogate = new IterationSurrogate(bench, spec.Iteration!.ComputeMs ?? 0, spec.Cluster!.SmCount ?? 108, space);
        if (crossRunPrior)
        {
            surrogate.UseCrossRunPrior(c => (c.NThreads.GetValueOrDefault(0) * 1e-4) - (c.MaxChannels.GetValueOrDefault(0) * 3e-4));
        }

        var expected = space.Enumerate().Select(c => (c, surrogate.Predict(c).Mean)).Where(p => double.IsFinite(p.Mean))
            .OrderBy(p => p.Mean).Select(p => p.c.Key).ToList();

        IReadOnlyList<NcclConfig>? ranked = surrogate.RankSpace(space);

        Assert.NotNull(ranked);
        Assert.Equal(expected, ranked.Select(c => c.Key).ToList());

        // The raw times the walk remembered for its configurations are the ones predicting them computes, exactly.
        var fresh = new IterationSurrogate(bench, spec.Iteration!.ComputeMs ?? 0, spec.Cluster!.SmCount ?? 108, space);
        if (crossRunPrior)
        {
            fresh.UseCrossRunPrior(c => (c.NThreads.GetValueOrDefault(0) * 1e-4) - (c.MaxChannels.GetValueOrDefault(0) * 3e-4));
        }

        surrogate.Anchor(NcclConfig.Default, 1234.5);
        fresh.Anchor(NcclConfig.Default, 1234.5);
        Assert.All(ranked.Take(2000), c => Assert.Equal(fresh.Predict(c.WithoutChoices() with { }).Mean, surrogate.Predict(c).Mean));
    }

    private static async Task<(WorkloadSpec Spec, MicrobenchmarkResult Bench)> BenchAsync(string workload)
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(workload);
        var platform = NcclPlatform.FromCluster(spec.Cluster!);
        CollectiveOp[] ops = spec.Iteration!.Collectives!.Select(c => OpNames.Parse(c.Op!)).Distinct().ToArray();
        SearchSpace space = SearchSpace.For(platform, ops);
        var cluster = new SimulatedCluster(spec, new SimulationOptions { Seed = 11 });
        MicrobenchmarkResult bench = await new Microbenchmark(new SimulatedCollectiveBenchmark(cluster), space).RunAsync(spec, CancellationToken.None);
        return (spec, bench);
    }
}
