namespace CclAgent.Cli.Tests.Robustness;

/// <summary>Several runs at once on one --memory file: none of them crashes on the shared cross-run model.</summary>
[Trait("Category", "Integration")]
public sealed class SharedMemoryTests : IDisposable
{
    private readonly RobustnessWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Eight_concurrent_dry_runs_on_one_memory_all_exit_0_with_their_summaries()
    {
        // Seed the memory with enough trials that every concurrent run trains (and saves) the cross-run model.
        var (seedCode, _, seedErr) = await DryRunAsync(0, 12);
        seedCode.Should().Be(0, seedErr);

        // Eight workloads, since two tunes of one workload with one memory take turns (the workload lock); the memory
        // file, its cross-run model and its rows are still shared by all eight at once.
        string[] workloads = [.. Directory.GetFiles(Path.Combine(CclAgent.Testing.RepoPaths.Root, "workload", "sim"), "*.json").Order().Take(8)];
        workloads.Should().HaveCount(8);
        var results = await Task.WhenAll(workloads.Select((workload, i) => DryRunAsync(i + 1, 4, workload)));

        results.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.Stderr));
        _work.RunDirectories().Should().HaveCount(9).And.AllSatisfy(run => File.Exists(Path.Combine(run, "postrun", "summary.json")).Should().BeTrue(run));
        Directory.GetFiles(_work.Root, "m.crossrun.zip.tmp-*").Should().BeEmpty("every temp model file is renamed or removed");
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> DryRunAsync(int seed, int steps, string workload = "workload/sim/h100-1x8-nvswitch-tp8.json") =>
        _work.TuneAsync(workload, "--dry-run", "--max-steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
