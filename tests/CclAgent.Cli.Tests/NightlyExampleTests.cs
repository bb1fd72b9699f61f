using System.Diagnostics;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>examples/nightly/tune-nightly.sh run for real, twice, against the real ccl-agent on a simulated workload.</summary>
public sealed class NightlyExampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-nightly-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Two_nights_tune_report_against_the_first_and_keep_only_the_newest_run()
    {
        (int first, string firstLog) = await NightAsync();
        (int second, string secondLog) = await NightAsync();

        first.Should().Be(0, firstLog);
        second.Should().Be(0, secondLog);
        string[] runs = Directory.GetDirectories(Path.Combine(_dir, "runs"));
        runs.Should().ContainSingle("KEEP=1 keeps the newest run directory only");
        File.Exists(Path.Combine(runs[0], "postrun", "nightly.html")).Should().BeTrue();
        File.Exists(Path.Combine(_dir, "memory.db")).Should().BeTrue();
    }

    private async Task<(int ExitCode, string Log)> NightAsync()
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "examples", "nightly", "tune-nightly.sh"));
        start.Environment["WORKLOAD"] = "workload/sim/h100-1x8-nvswitch-tp8.json";
        start.Environment["ROOT"] = Path.Combine(_dir, "runs");
        start.Environment["MEMORY"] = Path.Combine(_dir, "memory.db");
        start.Environment["KEEP"] = "1";
        start.Environment["TUNE_ARGS"] = "--dry-run --max-steps 4";
        start.Environment["CCL_AGENT"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "ccl-agent.dll")}";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
