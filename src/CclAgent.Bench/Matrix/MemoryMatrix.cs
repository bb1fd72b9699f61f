using System.Diagnostics;
using System.Globalization;
using CclAgent.Bench.Results;
using CclAgent.Bench.Scenarios;
using CclAgent.Bench.Strategies;
using CclAgent.Memory;
using CclAgent.Simulation;
using CclAgent.Simulation.Oracle;

namespace CclAgent.Bench.Matrix;

/// <summary>
/// Does memory ever cost trials? For every ordered pair (A, B) of scenarios: A runs (seed 1) into a fresh
/// memory, then B runs with a copy of that memory, and B also runs cold; both are scored like the bench
/// (the oracle fraction of the deployed incumbent after k trials) and compared at each checkpoint.
/// </summary>
public sealed class MemoryMatrix(TimeProvider time)
{
    /// <summary>
    /// How far warm may trail cold before it counts as worse. The simulator's per-iteration noise is log-normal
    /// σ 1.2 % (SimulationOptions.DefaultNoiseSigma); a 20-iteration median then has a standard error of about
    /// 1.25 × 1.2 % / √20 ≈ 0.34 %, and a difference of two medians ≈ 0.48 %: two runs that deploy configurations
    /// within that of each other are the same within one standard error of the measurement.
    /// </summary>
    public const double DefaultTolerance = 0.005;

    public static IReadOnlyList<int> Checkpoints { get; } = [1, 2, 4, 8, 16];

    private const string Agent = "ccl-agent";

    public async Task<MemoryMatrixReport> RunAsync(IReadOnlyList<BenchScenario> scenarios, int budget, int seed, string workDirectory, Action<string> progress, CancellationToken cancellationToken,
        Func<BenchScenario, BenchScenario, bool>? pairFilter = null, double tolerance = DefaultTolerance)
    {
        long start = Stopwatch.GetTimestamp();
        if (Directory.Exists(workDirectory))
        {
            Directory.Delete(workDirectory, recursive: true);
        }

        var oracles = scenarios.ToDictionary(s => s.Name, s => JointOracle.Solve(new SimulatedCluster(s.Workload, new SimulationOptions())), StringComparer.Ordinal);
        var summaries = oracles.ToDictionary(kv => kv.Key, kv => new ScenarioOracle(kv.Key, kv.Value.BestIterationMs, kv.Value.DefaultIterationMs, kv.Value.BestConfig.ToAssignments(), kv.Value.Global.Evaluated, kv.Value.ElapsedMs), StringComparer.Ordinal);
        var agent = new CclAgentStrategy(Agent, input => oracles[input.Scenario.Name]);
        var pairs = scenarios.SelectMany(a => scenarios.Where(b => b.Name != a.Name && (pairFilter?.Invoke(a, b) ?? true)).Select(b => (Earlier: a, Later: b))).ToList();

        var cold = new Dictionary<string, (IReadOnlyDictionary<string, double> Fractions, Core.Context.ContextFeatures Features)>(StringComparer.Ordinal);
        foreach (BenchScenario later in pairs.Select(p => p.Later).DistinctBy(s => s.Name))
        {
            string dir = Path.Combine(workDirectory, "cold", later.Name);
            cold[later.Name] = await RunScoredAsync(agent, later, seed, budget, dir, Path.Combine(dir, "memory.db"), summaries[later.Name], cancellationToken);
            progress($"cold {later.Name}: {Render(cold[later.Name].Fractions)}");
        }

        var earlierMemory = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (BenchScenario earlier in pairs.Select(p => p.Earlier).DistinctBy(s => s.Name))
        {
            string dir = Path.Combine(workDirectory, "earlier", earlier.Name);
            await RunScoredAsync(agent, earlier, seed, budget, dir, Path.Combine(dir, "memory", "memory.db"), summaries[earlier.Name], cancellationToken);
            earlierMemory[earlier.Name] = Path.Combine(dir, "memory");
        }

        var rows = new List<MemoryMatrixPair>();
        foreach ((BenchScenario earlier, BenchScenario later) in pairs)
        {
            string dir = Path.Combine(workDirectory, "pairs", $"{earlier.Name}__{later.Name}");
            CopyDirectory(earlierMemory[earlier.Name], Path.Combine(dir, "memory"));
            var warm = await RunScoredAsync(agent, later, seed, budget, dir, Path.Combine(dir, "memory", "memory.db"), summaries[later.Name], cancellationToken);
            var reference = cold[later.Name];
            double gap = Checkpoints.Max(k => reference.Fractions[Key(k)] - warm.Fractions[Key(k)]);
            rows.Add(new MemoryMatrixPair
            {
                Earlier = earlier.Name,
                Later = later.Name,
                Similarity = Math.Round(warm.Features.Similarity(EarlierFeatures(earlierMemory[earlier.Name])), 3),
                Warm = warm.Fractions,
                Cold = reference.Fractions,
                WorstGap = Math.Round(gap, 5),
                Worse = gap > tolerance,
            });
            progress($"{earlier.Name} → {later.Name}: warm {Render(warm.Fractions)} cold {Render(reference.Fractions)}{(gap > tolerance ? "  WORSE" : string.Empty)}");
        }

        return new MemoryMatrixReport
        {
            Budget = budget,
            Seed = seed,
            Tolerance = tolerance,
            Checkpoints = Checkpoints,
            Pairs = rows,
            ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(start).TotalSeconds, 1),
        };
    }

    private async Task<(IReadOnlyDictionary<string, double> Fractions, Core.Context.ContextFeatures Features)> RunScoredAsync(
        CclAgentStrategy agent, BenchScenario scenario, int seed, int budget, string dir, string memoryPath, ScenarioOracle oracle, CancellationToken cancellationToken)
    {
        using MemoryStore memory = MemoryStore.Open(memoryPath, time);
        StrategyRun run = await agent.RunAsync(new StrategyInput(scenario, seed, budget, dir, memory, time), cancellationToken);
        BenchRecord record = ConvergenceMetrics.Score(Agent, scenario.Name, seed, budget, run, oracle);
        var features = memory.Runs().Last(r => r.WorkloadName == scenario.Workload.Name).Features;
        return (Checkpoints.Where(k => k <= budget).ToDictionary(Key, k => record.Convergence[k - 1], StringComparer.Ordinal), features);
    }

    private Core.Context.ContextFeatures EarlierFeatures(string memoryDirectory)
    {
        using MemoryStore memory = MemoryStore.Open(Path.Combine(memoryDirectory, "memory.db"), time);
        return memory.Runs()[0].Features;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static string Key(int k) => k.ToString(CultureInfo.InvariantCulture);

    private static string Render(IReadOnlyDictionary<string, double> fractions) =>
        string.Join(" ", fractions.Select(kv => string.Create(CultureInfo.InvariantCulture, $"@{kv.Key} {kv.Value:0.000}")));
}
