using CclAgent.Testing;
using CclAgent.Bench.Scenarios;
using CclAgent.Bench.Strategies;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Bench.Tests;

/// <summary>Shared helpers: the repository root, shipped scenarios, strategy inputs and config keys.</summary>
internal static class BenchTestSupport
{
    public const string L40s = "l40s-1x8-pcie-ddp";
    public const string H100 = "h100-1x8-nvswitch-tp8";

    public static string ScenarioPath(string name) => Path.Combine(RepoPaths.Root, "workload", "sim", name + ".json");

    public static async Task<BenchScenario> LoadScenarioAsync(string name)
    {
        (IReadOnlyList<BenchScenario> scenarios, var problems) = await ScenarioLoader.LoadAsync([ScenarioPath(name)], CancellationToken.None);
        Assert.Empty(problems);
        return Assert.Single(scenarios);
    }

    public static StrategyInput Input(BenchScenario scenario, int seed, int budget, string workDirectory) =>
        new(scenario, seed, budget, workDirectory, null, TimeProvider.System);

    /// <summary>Parses a <see cref="NcclConfig.Key"/> ("default" or "NAME=value;…") back into assignments.</summary>
    public static IReadOnlyDictionary<string, string> Assignments(string key) => key == "default"
        ? new Dictionary<string, string>(StringComparer.Ordinal)
        : key.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    public static NcclConfig Config(string key) => NcclConfig.FromAssignments(Assignments(key));

}


/// <summary>The real CLI as a subprocess (see <see cref="CliProcess"/>).</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => CliProcess.RunAsync(args);
}
