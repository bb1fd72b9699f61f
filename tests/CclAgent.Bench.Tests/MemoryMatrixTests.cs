using CclAgent.Bench.Matrix;
using CclAgent.Bench.Scenarios;
using CclAgent.Testing;

namespace CclAgent.Bench.Tests;

/// <summary>
/// Memory never costs trials. The full matrix (56 ordered pairs, bench/memory-matrix.sh) takes too long for a
/// test; this runs the pairs the issue reported (llama3-8b → yi34b and back: same cluster, other parallelism),
/// a pair across hardware (A40 → H100) and the held-out pair of the two single-node 8-GPU jobs.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MemoryMatrixTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Memory_from_another_scenario_never_leaves_a_run_behind_the_same_run_with_empty_memory()
    {
        (IReadOnlyList<BenchScenario> all, _) = await ScenarioLoader.LoadAsync([Path.Combine(RepoPaths.Root, "workload", "sim")], CancellationToken.None);
        string[] names = ["autoccl-a40-4x8-llama3-8b", "autoccl-a40-4x8-yi34b", "h100-1x8-nvswitch-tp8", "l40s-1x8-pcie-ddp"];
        var pairs = new HashSet<(string, string)>
        {
            ("autoccl-a40-4x8-llama3-8b", "autoccl-a40-4x8-yi34b"),
            ("autoccl-a40-4x8-yi34b", "autoccl-a40-4x8-llama3-8b"),
            ("autoccl-a40-4x8-llama3-8b", "h100-1x8-nvswitch-tp8"),
            ("l40s-1x8-pcie-ddp", "h100-1x8-nvswitch-tp8"),
        };
        var scenarios = all.Where(s => names.Contains(s.Name)).ToList();

        MemoryMatrixReport report = await new MemoryMatrix(TimeProvider.System)
            .RunAsync(scenarios, budget: 16, seed: 1, Path.Combine(_temp.Path, "matrix"), _ => { }, CancellationToken.None, (a, b) => pairs.Contains((a.Name, b.Name)));

        report.Pairs.Should().HaveCount(4);
        report.Pairs.Where(p => p.Worse).Should().BeEmpty();
    }
}
