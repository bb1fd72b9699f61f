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
        List<double> cluster = ClusterCurve(run, budget);
        double total = run.SetupClusterSeconds + run.Trials.Sum(p => p.ClusterSeconds) + run.TrailingClusterSeconds;
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
            ClusterSecondsTo2pct = to2pct < 0 ? null : cluster[to2pct],
            ClusterSecondsTotal = Math.Round(total, 1),
            GpuHoursTotal = Math.Round(total * run.Gpus / 3600, 4),
            MicrobenchmarkClusterSeconds = Math.Round(run.MicrobenchmarkClusterSeconds, 1),
            ClusterSeconds = cluster,
            DeliveredTrueMs = Math.Round(Delivered(run, oracle), 3),
            // The scenario's default time is rounded to 0.001 ms: equal within that is not slower.
            DeliveredSlowerThanDefault = Delivered(run, oracle) > oracle.DefaultIterationMs + 0.001,
        };
    }

    /// <summary>What the strategy hands over: its stated deliverable, else its last incumbent, else NCCL's defaults.</summary>
    private static double Delivered(StrategyRun run, ScenarioOracle oracle) =>
        run.DeliveredTrueMs ?? (run.Trials.Count > 0 ? run.Trials[^1].IncumbentTrueMs : oracle.DefaultIterationMs);

    /// <summary>Cluster seconds charged up to each trial 1..budget: what ran before the first trial, then every trial run so far.</summary>
    private static List<double> ClusterCurve(StrategyRun run, int budget)
    {
        var curve = new List<double>(budget);
        double charged = run.SetupClusterSeconds;
        int next = 0;
        for (int k = 1; k <= budget; k++)
        {
            for (; next < run.Trials.Count && run.Trials[next].Trial <= k; next++)
            {
                charged += run.Trials[next].ClusterSeconds;
            }

            curve.Add(Math.Round(charged, 1));
        }

        return curve;
    }

    /// <summary>The median with runs that never reached 2% as infinity: null when the median itself never reached it.</summary>
    private static double? MedianReached(IEnumerable<double?> values)
    {
        double[] sorted = values.Select(v => v ?? double.PositiveInfinity).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return double.IsFinite(median) ? Math.Round(median, 1) : null;
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
            DeliveredSlowerThanDefault = mine.Count(r => r.DeliveredSlowerThanDefault),
            MeanSpeedupVsDefault = Math.Round(mine.Average(r => r.SpeedupVsDefault), 4),
            MeanMicrobenchmarkRuns = Math.Round(mine.Average(r => r.MicrobenchmarkRuns), 1),
            MeanConvergence = Enumerable.Range(0, budget).Select(i => Math.Round(mine.Average(r => r.Convergence[i]), 5)).ToList(),
            MedianClusterSecondsTo2pct = MedianReached(mine.Select(r => r.ClusterSecondsTo2pct)),
            RunsReaching2pct = mine.Count(r => r.ClusterSecondsTo2pct is not null),
            MeanClusterSecondsTotal = Math.Round(mine.Average(r => r.ClusterSecondsTotal), 1),
            MeanGpuHoursTotal = Math.Round(mine.Average(r => r.GpuHoursTotal), 4),
            MeanClusterSeconds = mine.All(r => r.ClusterSeconds.Count == budget)
                ? Enumerable.Range(0, budget).Select(i => Math.Round(mine.Average(r => r.ClusterSeconds[i]), 1)).ToList()
                : [],
        };
    }
}
