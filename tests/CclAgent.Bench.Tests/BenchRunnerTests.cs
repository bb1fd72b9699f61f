using System.Text.Json;
using CclAgent.Bench.Results;
using CclAgent.Bench.Scenarios;
using static CclAgent.Bench.Tests.BenchTestSupport;

namespace CclAgent.Bench.Tests;

/// <summary>One small bench (two scenarios, five strategies, one seed, budget 8) shared by the end-to-end tests.</summary>
public sealed class BenchRunFixture : IAsyncLifetime
{
    public static readonly string[] Strategies = ["nccl-default", "random", "autoccl-cd", "autoccl-cd-restart", "ccl-agent"];
    public const int Budget = 8;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ccl-bench-tests-" + Guid.NewGuid().ToString("N"));

    public string OutDirectory => Path.Combine(_root, "out");
    public BenchReport Report { get; private set; } = null!;
    public List<string> Progress { get; } = [];

    public async Task InitializeAsync()
    {
        var scenarios = new List<BenchScenario> { await LoadScenarioAsync(L40s), await LoadScenarioAsync(H100) };
        var options = new BenchOptions(Strategies, 1, Budget, OutDirectory, null, "ccl-agent bench (test)");
        Report = await new BenchRunner(TimeProvider.System).RunAsync(scenarios, options, Progress.Add, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}

[Trait("Category", "Integration")]
public sealed class BenchRunnerTests(BenchRunFixture bench) : IClassFixture<BenchRunFixture>
{
    private JsonElement ResultsJson()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(bench.OutDirectory, "results.json")));
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Results_json_parses_with_budget_seeds_results_and_aggregates()
    {
        JsonElement root = ResultsJson();

        Assert.Equal(BenchRunFixture.Budget, root.GetProperty("budget").GetInt32());
        Assert.Equal(1, root.GetProperty("seeds").GetInt32());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("results").ValueKind);
        Assert.Equal(BenchRunFixture.Strategies, root.GetProperty("aggregates").EnumerateArray().Select(a => a.GetProperty("strategy").GetString()));
        Assert.Equal(2, root.GetProperty("scenarios").GetArrayLength());
        Assert.All(root.GetProperty("aggregates").EnumerateArray(), a => Assert.True(a.GetProperty("median_trials_to_2pct").GetDouble() >= 1));
    }

    [Fact]
    public void Results_json_has_one_record_per_strategy_scenario_and_seed_with_the_metric_fields()
    {
        JsonElement[] results = ResultsJson().GetProperty("results").EnumerateArray().ToArray();

        Assert.Equal(BenchRunFixture.Strategies.Length * 2, results.Length);
        var keys = results.Select(r => (r.GetProperty("strategy").GetString(), r.GetProperty("scenario").GetString(), r.GetProperty("seed").GetInt32())).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        foreach (string strategy in BenchRunFixture.Strategies)
        {
            foreach (string scenario in new[] { L40s, H100 })
            {
                Assert.Contains((strategy, scenario, 1), keys);
            }
        }

        Assert.All(results, r =>
        {
            Assert.Equal(["1", "4", "8"], r.GetProperty("oracle_fraction_at").EnumerateObject().Select(p => p.Name));
            Assert.InRange(r.GetProperty("trials_to_2pct").GetInt32(), 1, BenchRunFixture.Budget + 1);
            Assert.True(r.GetProperty("hazardous_applied").GetInt32() >= 0);
            Assert.True(r.GetProperty("speedup_vs_default").GetDouble() > 0);
            Assert.Equal(BenchRunFixture.Budget, r.GetProperty("convergence").GetArrayLength());
            Assert.Equal(BenchRunFixture.Budget, r.GetProperty("cluster_seconds").GetArrayLength());
            Assert.True(r.GetProperty("cluster_seconds_total").GetDouble() > 0);
            Assert.True(r.GetProperty("gpu_hours_total").GetDouble() > 0);
            JsonElement toTwo = r.GetProperty("cluster_seconds_to_2pct");
            Assert.Equal(r.GetProperty("trials_to_2pct").GetInt32() > BenchRunFixture.Budget, toTwo.ValueKind == JsonValueKind.Null);
        });
    }

    [Fact]
    public void Ccl_agent_is_charged_its_microbenchmark_before_its_first_trial()
    {
        Assert.All(bench.Report.Results.Where(r => r.Strategy == "ccl-agent"), r =>
        {
            Assert.True(r.MicrobenchmarkClusterSeconds > 0);
            Assert.True(r.ClusterSeconds[0] > r.MicrobenchmarkClusterSeconds);
        });
    }

    [Fact]
    public void Convergence_against_cluster_time_is_plotted_too()
    {
        Assert.True(new FileInfo(Path.Combine(bench.OutDirectory, "convergence_cluster_time.png")).Length > 1000);
    }

    [Fact]
    public void Results_md_has_the_aggregate_table_header_and_a_row_per_strategy()
    {
        string md = File.ReadAllText(Path.Combine(bench.OutDirectory, "results.md"));

        Assert.Contains("| strategy | @1 | @4 | @8 | median trials to 2% | median cluster s to 2% | runs reaching 2% | mean cluster s total | mean GPU-h total | hazardous applied | risky applied | delivered slower than default | speedup vs default | microbench runs |", md, StringComparison.Ordinal);
        Assert.All(BenchRunFixture.Strategies, s => Assert.Contains($"| {s} |", md, StringComparison.Ordinal));
    }

    [Fact]
    public void Convergence_png_is_written_as_a_png()
    {
        string png = Path.Combine(bench.OutDirectory, "convergence.png");

        byte[] bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 1000);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes.Take(8));
    }

    [Fact]
    public void NCCL_default_has_a_constant_oracle_fraction_across_checkpoints_equal_to_the_default_gap()
    {
        foreach (BenchRecord record in bench.Report.Results.Where(r => r.Strategy == "nccl-default"))
        {
            Assert.Single(record.OracleFractionAt.Values.Distinct());
            Assert.Single(record.Convergence.Distinct());
            ScenarioOracle oracle = bench.Report.Scenarios.Single(s => s.Scenario == record.Scenario);
            Assert.Equal(Math.Round(Math.Min(1, oracle.OracleIterationMs / oracle.DefaultIterationMs), 3), record.OracleFractionAt["1"], 3);
            Assert.Equal(1.0, record.SpeedupVsDefault, 3);
        }
    }

    [Fact]
    public void Ccl_agent_applies_no_risky_configuration()
    {
        Assert.All(bench.Report.Results.Where(r => r.Strategy == "ccl-agent"), r => Assert.Equal(0, r.RiskyApplied));
        Assert.Equal(0, bench.Report.Aggregates.Single(a => a.Strategy == "ccl-agent").RiskyApplied);
    }

    [Fact]
    public void Every_strategy_stays_within_the_oracle_and_the_oracle_is_at_least_as_fast_as_the_default()
    {
        Assert.All(bench.Report.Scenarios, s => Assert.True(s.OracleIterationMs <= s.DefaultIterationMs + 1e-9));
        Assert.All(bench.Report.Results, r => Assert.All(r.Convergence, f => Assert.InRange(f, 0.0, 1.0)));
    }

    [Fact]
    public void Progress_reports_the_oracle_of_each_scenario_and_every_run()
    {
        Assert.Equal(2, bench.Progress.Count(l => l.StartsWith("oracle ", StringComparison.Ordinal)));
        Assert.Equal(BenchRunFixture.Strategies.Length * 2, bench.Progress.Count(l => l.Contains("seed 1:", StringComparison.Ordinal)));
    }
}
