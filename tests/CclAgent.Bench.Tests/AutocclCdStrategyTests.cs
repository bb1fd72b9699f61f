using CclAgent.Bench.Scenarios;
using CclAgent.Bench.Strategies;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Simulation;
using static CclAgent.Bench.Tests.BenchTestSupport;
using CclAgent.Testing;

namespace CclAgent.Bench.Tests;

public sealed class AutocclCdStrategyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The search's own structure is checked on the restart variant, whose candidates are whole configurations.</summary>
    private async Task<(BenchScenario Scenario, StrategyRun Run)> RunAsync(string scenarioName, int seed, int budget, bool restartPerTrial = true)
    {
        BenchScenario scenario = await LoadScenarioAsync(scenarioName);
        StrategyRun run = await new AutocclCdStrategy(restartPerTrial).RunAsync(Input(scenario, seed, budget, _temp.Path), CancellationToken.None);
        Assert.Equal(budget, run.Trials.Count);
        return (scenario, run);
    }

    /// <summary>The implementation subspace of a trial: its ALGO, PROTO and P2P level (absent when NCCL's default).</summary>
    private static (string? Algo, string? Proto, string? P2P) Subspace(TrialPoint point)
    {
        IReadOnlyDictionary<string, string> a = Assignments(point.ConfigKey);
        return (a.GetValueOrDefault(ParameterSpace.Algo), a.GetValueOrDefault(ParameterSpace.Proto), a.GetValueOrDefault(ParameterSpace.P2PLevel));
    }

    [Fact]
    public async Task The_first_trial_is_the_native_NCCL_default()
    {
        (_, StrategyRun run) = await RunAsync(L40s, seed: 1, budget: 8);

        Assert.Equal("default", run.Trials[0].ConfigKey);
    }

    [Fact]
    public async Task Every_later_trial_sets_ALGO_and_PROTO_explicitly()
    {
        (_, StrategyRun run) = await RunAsync(L40s, seed: 1, budget: 32);

        Assert.All(run.Trials.Skip(1), p =>
        {
            (string? algo, string? proto, _) = Subspace(p);
            Assert.NotNull(algo);
            Assert.NotNull(proto);
        });
    }

    [Theory]
    [InlineData(L40s)]
    [InlineData(H100)]
    public async Task No_trial_lies_in_a_statically_invalid_subspace(string scenarioName)
    {
        (BenchScenario scenario, StrategyRun run) = await RunAsync(scenarioName, seed: 2, budget: 32);
        var platform = NcclPlatform.FromCluster(scenario.Workload.Cluster!);
        IReadOnlyList<CollectiveOp> ops = new SimulatedCluster(scenario.Workload, new SimulationOptions()).Ops;

        Assert.All(run.Trials.Skip(1), p =>
        {
            var subspace = Assignments(p.ConfigKey)
                .Where(kv => kv.Key is ParameterSpace.Algo or ParameterSpace.Proto or ParameterSpace.P2PLevel)
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(subspace, platform, ops.ToArray());
            Assert.True(ConfigValidator.IsRunnable(violations), $"{p.ConfigKey}: {string.Join("; ", violations)}");
        });
    }

    [Fact]
    public async Task LL128_is_never_forced_on_the_PCIe_L40S()
    {
        (_, StrategyRun run) = await RunAsync(L40s, seed: 3, budget: 32);

        Assert.DoesNotContain(run.Trials, p => string.Equals(Subspace(p).Proto, "LL128", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task With_budget_32_the_pretrain_trials_visit_several_subspaces()
    {
        (_, StrategyRun run) = await RunAsync(L40s, seed: 1, budget: 32);

        // Budget 32: one warm-up, then round(31 × 0.6) = 19 pretrain samples round-robin over the subspaces.
        var pretrain = run.Trials.Skip(1).Take(19).Select(Subspace).ToList();
        Assert.True(pretrain.Distinct().Count() >= 4, $"pretrain visited only {pretrain.Distinct().Count()} subspaces: {string.Join(", ", pretrain.Distinct())}");
        Assert.True(pretrain.Select(s => s.Algo).Distinct().Count() >= 2, "more than one algorithm is sampled");
        Assert.True(pretrain.Select(s => s.Proto).Distinct().Count() >= 2, "more than one protocol is sampled");
    }

    [Fact]
    public async Task The_same_seed_gives_the_identical_trial_sequence()
    {
        (_, StrategyRun first) = await RunAsync(L40s, seed: 5, budget: 24);
        (_, StrategyRun second) = await RunAsync(L40s, seed: 5, budget: 24);

        Assert.Equal(first.Trials.Select(p => p.ConfigKey), second.Trials.Select(p => p.ConfigKey));
        Assert.Equal(first.Trials.Select(p => p.MeasuredMs), second.Trials.Select(p => p.MeasuredMs));
    }

    [Fact]
    public async Task A_different_seed_gives_a_different_trial_sequence()
    {
        (_, StrategyRun first) = await RunAsync(L40s, seed: 5, budget: 24);
        (_, StrategyRun second) = await RunAsync(L40s, seed: 6, budget: 24);

        Assert.NotEqual(first.Trials.Select(p => p.ConfigKey), second.Trials.Select(p => p.ConfigKey));
    }

    [Fact]
    public async Task The_deployed_incumbent_is_always_a_configuration_already_tried()
    {
        (_, StrategyRun run) = await RunAsync(H100, seed: 1, budget: 16);

        var tried = run.Trials.Select(p => p.ConfigKey).ToHashSet(StringComparer.Ordinal);
        Assert.All(run.Trials, p => Assert.Contains(p.IncumbentKey, tried));
    }

    [Fact]
    public async Task In_the_job_every_communication_task_runs_its_own_candidate_after_the_native_warm_up()
    {
        (BenchScenario scenario, StrategyRun run) = await RunAsync("h100-2x8-ib400-fsdp", seed: 1, budget: 12, restartPerTrial: false);
        int tasks = scenario.Workload.Iteration!.Collectives!.Select(c => (c.Op, c.Bytes, c.Nodes, c.RanksPerNode)).Distinct().Count();

        run.Trials[0].ConfigKey.Should().Be("default");
        run.Trials.Skip(1).Should().OnlyContain(p => Assignments(p.ConfigKey).Keys.Count(k => k.StartsWith("tuner:", StringComparison.Ordinal)) == tasks);
        run.Trials.Skip(1).Select(p => p.ConfigKey).Distinct().Should().HaveCountGreaterThan(5, "each round draws new candidates");
    }

    [Fact]
    public async Task In_the_job_a_round_costs_iterations_not_a_restart()
    {
        (BenchScenario scenario, StrategyRun inJob) = await RunAsync("h100-2x8-ib400-fsdp", seed: 1, budget: 8, restartPerTrial: false);
        (_, StrategyRun restart) = await RunAsync("h100-2x8-ib400-fsdp", seed: 1, budget: 8);

        inJob.Trials.Where(p => !p.Hazardous).Should().OnlyContain(p => p.ClusterSeconds < restart.Trials.Min(r => r.ClusterSeconds), scenario.Name);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0, 3.0, 4.0 }, 2.0)] // keep ceil(3) = 3 fastest
    [InlineData(new[] { 100.0, 1.0, 3.0, 2.0, 5.0 }, 2.75)] // keep ceil(3.75) = 4 fastest: 1, 2, 3, 5
    [InlineData(new[] { 7.0 }, 7.0)] // at least one sample is kept
    [InlineData(new[] { 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 40.0 }, 4.0)] // the slowest 25% (one outlier of 8) is dropped
    public void MeanOfTopPercent75_is_the_mean_of_the_fastest_three_quarters(double[] samples, double expected)
    {
        Assert.Equal(expected, AutocclCdStrategy.MeanOfTopPercent75(samples), 10);
    }
}
