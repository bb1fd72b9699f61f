using CclAgent.Cli;
using CclAgent.Testing;

namespace CclAgent.Reporting.Tests;

/// <summary>Real run directories, made once per test class by `tune --dry-run` through the CLI: two seeds of one workload, one other.</summary>
public sealed class DryRunFixture : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new("ccl-report-");

    public string Root => _temp.Path;

    public IReadOnlyList<string> A40Runs { get; private set; } = [];

    public string L40sRun { get; private set; } = "";

    public async Task InitializeAsync()
    {
        A40Runs = [await TuneAsync("autoccl-a40-4x8-llama3-8b", 1), await TuneAsync("autoccl-a40-4x8-llama3-8b", 2)];
        L40sRun = await TuneAsync("l40s-1x8-pcie-ddp", 1);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _temp.Dispose();

    public static async Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await CliApp.InvokeAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<string> TuneAsync(string workload, int seed)
    {
        string root = _temp.Combine($"{workload}-{seed}");
        (int code, _, string stderr) = await CliAsync("tune", "--workload", RepoPaths.Workload(workload), "--dry-run", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--provider", "none", "--artifacts-root", root, "--memory", Path.Combine(root, "memory.db"));
        code.Should().Be(0, stderr);
        return Directory.EnumerateDirectories(root).Single();
    }
}
