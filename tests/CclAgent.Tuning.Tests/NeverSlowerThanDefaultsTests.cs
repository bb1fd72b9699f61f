using CclAgent.Core.Workloads;
using CclAgent.Memory;
using CclAgent.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CclAgent.Tuning.Tests;

/// <summary>The deliverable is never slower than NCCL's defaults, in the simulator's truth, with or without memory.</summary>
[Trait("Category", "Integration")]
public sealed class NeverSlowerThanDefaultsTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = TuningHarness.NewTime();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_four_A40_workloads_in_order_with_one_memory_never_deliver_a_config_slower_than_the_defaults()
    {
        using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, "m.db"), _time);
        foreach (string name in new[] { "phi2", "llama3-8b", "vgg19", "yi34b" })
        {
            await AssertNotSlowerAsync("autoccl-a40-4x8-" + name, memory);
        }
    }

    [Fact]
    public async Task Every_shipped_workload_run_cold_never_delivers_a_config_slower_than_the_defaults()
    {
        foreach (string file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "workload", "sim"), "*.json").Order(StringComparer.Ordinal))
        {
            using MemoryStore memory = MemoryStore.Open(Path.Combine(_temp.Path, Path.GetFileNameWithoutExtension(file) + ".db"), _time);
            await AssertNotSlowerAsync(Path.GetFileNameWithoutExtension(file), memory);
        }
    }

    private async Task AssertNotSlowerAsync(string name, MemoryStore memory)
    {
        WorkloadSpec spec = await TuningHarness.LoadShippedAsync(name);
        HarnessRun run = await TuningHarness.RunAsync(spec, TuningHarness.WorkloadPath(name), _temp.Path, memory, _time, "run-" + name, budget: 24);
        var summary = run.Outcome.Summary!;
        summary.BestTrueIterationMs.Should().BeLessThanOrEqualTo(summary.DefaultTrueIterationMs!.Value, name);
        summary.BestIterationMs.Should().BeLessThanOrEqualTo(summary.BaselineIterationMs, name);
    }
}
