using CclAgent.Bench.Scenarios;
using CclAgent.Bench.Strategies;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using CclAgent.Simulation;
using static CclAgent.Bench.Tests.BenchTestSupport;
using CclAgent.Testing;

namespace CclAgent.Bench.Tests;

public sealed class RandomStrategyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<StrategyRun> RunAsync(BenchScenario scenario, int seed, int budget) =>
        await new RandomStrategy().RunAsync(Input(scenario, seed, budget, _temp.Path), CancellationToken.None);

    [Fact]
    public async Task The_first_trial_is_the_NCCL_default_and_the_budget_is_spent_exactly()
    {
        StrategyRun run = await RunAsync(await LoadScenarioAsync(L40s), seed: 1, budget: 8);

        Assert.Equal(8, run.Trials.Count);
        Assert.Equal("default", run.Trials[0].ConfigKey);
        Assert.Equal(Enumerable.Range(1, 8), run.Trials.Select(p => p.Trial));
    }

    [Fact]
    public async Task The_same_seed_draws_the_same_configurations_and_another_seed_does_not()
    {
        BenchScenario scenario = await LoadScenarioAsync(L40s);

        StrategyRun a = await RunAsync(scenario, seed: 4, budget: 10);
        StrategyRun b = await RunAsync(scenario, seed: 4, budget: 10);
        StrategyRun c = await RunAsync(scenario, seed: 5, budget: 10);

        Assert.Equal(a.Trials.Select(p => p.ConfigKey), b.Trials.Select(p => p.ConfigKey));
        Assert.Equal(a.Trials.Select(p => p.MeasuredMs), b.Trials.Select(p => p.MeasuredMs));
        Assert.NotEqual(a.Trials.Select(p => p.ConfigKey), c.Trials.Select(p => p.ConfigKey));
    }

    [Theory]
    [InlineData(L40s)]
    [InlineData(H100)]
    public async Task No_applied_configuration_has_a_validator_error_or_hazard(string scenarioName)
    {
        BenchScenario scenario = await LoadScenarioAsync(scenarioName);
        var platform = NcclPlatform.FromCluster(scenario.Workload.Cluster!);
        CollectiveOp[] ops = new SimulatedCluster(scenario.Workload, new SimulationOptions()).Ops.ToArray();

        StrategyRun run = await RunAsync(scenario, seed: 7, budget: 24);

        Assert.All(run.Trials, p =>
        {
            IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(Config(p.ConfigKey), platform, ops);
            Assert.DoesNotContain(violations, v => v.Severity is ViolationSeverity.Error or ViolationSeverity.Hazard);
        });
    }

    [Fact]
    public async Task The_NCCL_default_strategy_applies_only_the_default_and_keeps_it_deployed()
    {
        BenchScenario scenario = await LoadScenarioAsync(L40s);

        StrategyRun run = await new NcclDefaultStrategy().RunAsync(Input(scenario, 1, 6, _temp.Path), CancellationToken.None);

        Assert.Equal(6, run.Trials.Count);
        Assert.All(run.Trials, p => Assert.Equal("default", p.ConfigKey));
        Assert.All(run.Trials, p => Assert.Equal("default", p.IncumbentKey));
        Assert.Single(run.Trials.Select(p => p.IncumbentTrueMs).Distinct());
    }
}
