using CclAgent.Testing;
namespace CclAgent.Bench.Tests;

public sealed class BenchCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Bench_on_one_scenario_exits_0_and_writes_results_json_md_and_png()
    {
        string outDir = Path.Combine(_temp.Path, "bench");

        (int code, string stdout, string stderr) = await CliRunner.RunAsync(
            "bench", "--scenarios", "workload/sim/l40s-1x8-pcie-ddp.json", "--strategies", "nccl-default,ccl-agent",
            "--seeds", "1", "--budget", "6", "--out", outDir, "--quiet");

        Assert.True(code == 0, $"exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        Assert.True(File.Exists(Path.Combine(outDir, "results.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "results.md")));
        Assert.True(File.Exists(Path.Combine(outDir, "convergence.png")));
        Assert.Contains("nccl-default", stdout, StringComparison.Ordinal);
        Assert.Contains("ccl-agent", stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stderr.Trim()); // --quiet: no progress lines
    }

    [Fact]
    public async Task An_unknown_strategy_exits_2_with_one_line_naming_the_strategies_option()
    {
        (int code, _, string stderr) = await CliRunner.RunAsync(
            "bench", "--scenarios", "workload/sim/l40s-1x8-pcie-ddp.json", "--strategies", "bogus", "--out", Path.Combine(_temp.Path, "bench"));

        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("--strategies", line, StringComparison.Ordinal);
        Assert.Contains("bogus", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "bench")), "nothing is written for invalid input");
    }

    [Fact]
    public async Task A_zero_budget_exits_2_naming_the_budget_option()
    {
        (int code, _, string stderr) = await CliRunner.RunAsync(
            "bench", "--scenarios", "workload/sim/l40s-1x8-pcie-ddp.json", "--budget", "0", "--out", Path.Combine(_temp.Path, "bench"));

        Assert.Equal(2, code);
        Assert.Contains("--budget", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_scenario_file_exits_2()
    {
        (int code, _, string stderr) = await CliRunner.RunAsync(
            "bench", "--scenarios", Path.Combine(_temp.Path, "missing.json"), "--out", Path.Combine(_temp.Path, "bench"));

        Assert.Equal(2, code);
        Assert.Contains("missing.json", stderr, StringComparison.Ordinal);
    }
}
