using System.Globalization;
using CclAgent.Bench.Strategies;

namespace CclAgent.Bench.Results;

/// <summary>Turns a strategy's trial points into the bench metrics, the same way for every strategy.</summary>
public static class ConvergenceMetrics
{
    public static IReadOnlyList<int> Checkpoints { get; } = [1, 4, 8, 16, 32];

    public static BenchRecord Score(string strategy, string scenario, int seed, int budget, StrategyRun run, ScenarioOracle oracle)
    {
        var convergence = new List<double>(budget);
        for (int k = 1; k <= budget; k++)
        {
            TrialPoint? point = run.Trials.LastOrDefault(p => p.Trial <= k);
            double deployed = point?.IncumbentTrueMs ?? oracle.DefaultIterationMs;
            convergence.Add(Math.Round(Math.Min(1.0, oracle.OracleIterationMs / deployed), 5));
        }

        int to2pct = convergence.FindIndex(f => f >= 1 / 1.02);
        return new BenchRecord
        {
            Strategy = strategy,
            Scenario = scenario,
            Seed = seed,
            OracleFractionAt = Checkpoints.Where(k => k <= budget).ToDictionary(k => k.ToString(CultureInfo.InvariantCulture), k => convergence[k - 1]),
            TrialsTo2pct = to2pct < 0 ? budget + 1 : to2pct + 1,
            HazardousApplied = run.Trials.Count(p => p.Hazardous),
            RiskyApplied = run.Trials.Count(p => p.Risk >= Tuning.Risk.ConfigurationRisk.Threshold),
            SpeedupVsDefault = Math.Round(oracle.DefaultIterationMs / (run.Trials.Count > 0 ? run.Trials[^1].IncumbentTrueMs : oracle.DefaultIterationMs), 4),
            MicrobenchmarkRuns = run.MicrobenchmarkRuns,
            ElapsedMs = Math.Round(run.ElapsedMs, 1),
            Convergence = convergence,
        };
    }

    public static BenchAggregate Aggregate(string strategy, IReadOnlyList<BenchRecord> records, int budget)
    {
        var mine = records.Where(r => r.Strategy == strategy).ToList();
        double[] toTwo = mine.Select(r => (double)r.TrialsTo2pct).Order().ToArray();
        return new BenchAggregate
        {
            Strategy = strategy,
            Runs = mine.Count,
            MeanOracleFractionAt = Checkpoints.Where(k => k <= budget).ToDictionary(
                k => k.ToString(CultureInfo.InvariantCulture),
                k => Math.Round(mine.Average(r => r.OracleFractionAt[k.ToString(CultureInfo.InvariantCulture)]), 5)),
            MedianTrialsTo2pct = toTwo.Length == 0 ? 0 : toTwo.Length % 2 == 1 ? toTwo[toTwo.Length / 2] : (toTwo[(toTwo.Length / 2) - 1] + toTwo[toTwo.Length / 2]) / 2,
            HazardousApplied = mine.Sum(r => r.HazardousApplied),
            RiskyApplied = mine.Sum(r => r.RiskyApplied),
            MeanSpeedupVsDefault = Math.Round(mine.Average(r => r.SpeedupVsDefault), 4),
            MeanMicrobenchmarkRuns = Math.Round(mine.Average(r => r.MicrobenchmarkRuns), 1),
            MeanConvergence = Enumerable.Range(0, budget).Select(i => Math.Round(mine.Average(r => r.Convergence[i]), 5)).ToList(),
        };
    }
}
