using System.Diagnostics;
using CclAgent.Bench.Plotting;
using CclAgent.Bench.Results;
using CclAgent.Bench.Scenarios;
using CclAgent.Bench.Strategies;
using CclAgent.Core.Files;
using CclAgent.Core.Json;
using CclAgent.Core.Workloads;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;

namespace CclAgent.Bench;

/// <summary>
/// Runs every strategy on every scenario for every seed with the same budget, noise and seeds, scores
/// them against the exhaustive oracle, and writes results.json, results.md and convergence.png.
/// </summary>
public sealed class BenchRunner(TimeProvider time)
{
    public async Task<BenchReport> RunAsync(IReadOnlyList<BenchScenario> scenarios, BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        Directory.CreateDirectory(options.OutDirectory);

        // Run directories and memory databases are named by scenario and seed, so a re-run starts clean.
        foreach (string owned in new[] { "runs", "memory", "earlier" })
        {
            string path = Path.Combine(options.OutDirectory, owned);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        var oracles = new Dictionary<string, (JointOracleResult Result, ScenarioOracle Summary)>(StringComparer.Ordinal);
        foreach (BenchScenario scenario in scenarios)
        {
            var cluster = new SimulatedCluster(scenario.Workload, new SimulationOptions());
            JointOracleResult oracle = JointOracle.Solve(cluster);
            oracles[scenario.Name] = (oracle, new ScenarioOracle(scenario.Name, Math.Round(oracle.BestIterationMs, 3), Math.Round(oracle.DefaultIterationMs, 3),
                oracle.BestConfig.ToAssignments(), oracle.Global.Evaluated, Math.Round(oracle.ElapsedMs, 1))
            {
                GlobalOracleMs = Math.Round(oracle.GlobalBestIterationMs, 3),
                GlobalOracleConfig = oracle.Global.BestConfig.ToAssignments(),
            });
            progress($"oracle {scenario.Name}: {oracle.BestIterationMs:0.00} ms per collective, {oracle.GlobalBestIterationMs:0.00} ms environment only (default {oracle.DefaultIterationMs:0.00} ms) in {oracle.ElapsedMs:0} ms");
        }

        var records = new List<BenchRecord>();
        bool timedOut = false;
        foreach (BenchScenario scenario in scenarios)
        {
            for (int seed = 1; seed <= options.Seeds && !timedOut; seed++)
            {
                foreach (string name in options.Strategies)
                {
                    if (options.MaxSeconds is double max && Stopwatch.GetElapsedTime(start).TotalSeconds > max)
                    {
                        timedOut = true;
                        break;
                    }

                    IBenchStrategy strategy = StrategyCatalog.Create(name, input => oracles[input.Scenario.Name.Replace("-similar", string.Empty, StringComparison.Ordinal)].Result);
                    var input = new StrategyInput(scenario, seed, options.Budget, options.OutDirectory, null, time);
                    StrategyRun run = await strategy.RunAsync(input, cancellationToken);
                    BenchRecord record = ConvergenceMetrics.Score(name, scenario.Name, seed, options.Budget, run, oracles[scenario.Name].Summary);
                    records.Add(record);
                    progress($"{name,-16} {scenario.Name,-28} seed {seed}: @1 {record.Convergence[0]:0.000} final {record.Convergence[^1]:0.000} to-2% {record.TrialsTo2pct} cluster {record.ClusterSecondsTotal:0} s ({run.ElapsedMs:0} ms)");
                }
            }
        }

        var report = new BenchReport
        {
            Budget = options.Budget,
            Seeds = options.Seeds,
            Strategies = options.Strategies,
            Scenarios = oracles.Values.Select(o => o.Summary).ToList(),
            Costs = scenarios.Select(Cost).ToList(),
            Results = records,
            Aggregates = options.Strategies.Where(s => records.Any(r => r.Strategy == s)).Select(s => ConvergenceMetrics.Aggregate(s, records, options.Budget)).ToList(),
            ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(start).TotalSeconds, 1),
            TimedOut = timedOut,
            Command = options.Command,
        };
        await ArtifactJson.WriteAsync(Path.Combine(options.OutDirectory, "results.json"), report, BenchJsonContext.Default.BenchReport, CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(options.OutDirectory, "results.md"), ResultsMarkdown.Render(report), CancellationToken.None);
        ConvergencePlot.Save(report, Path.Combine(options.OutDirectory, "convergence.png"));
        ConvergencePlot.SaveClusterTime(report, Path.Combine(options.OutDirectory, "convergence_cluster_time.png"));
        return report;
    }

    private static ScenarioCost Cost(BenchScenario scenario)
    {
        var cost = TuningCostModel.For(scenario.Workload);
        return new ScenarioCost(scenario.Name, cost.Gpus, cost.JobStartSeconds, cost.MicrobenchmarkStartSeconds, cost.RemainingIterations);
    }
}
