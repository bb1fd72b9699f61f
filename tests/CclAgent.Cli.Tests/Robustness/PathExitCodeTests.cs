using System.Diagnostics;
using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// Output paths that cannot be used, and a workload name too long for a directory name: each is reported in one
/// line with the README's exit code (2 for input, 3 for a full disk), never as an internal error (4).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PathExitCodeTests : IDisposable
{
    private const string SimWorkload = "workload/sim/l40s-1x8-pcie-ddp.json";

    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-paths-").FullName;
    private string? _mounted;

    public void Dispose()
    {
        if (_mounted is not null)
        {
            Run("umount", _mounted);
        }

        Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public async Task An_artifacts_root_that_is_a_file_exits_2_with_one_line_naming_the_option()
    {
        string file = Path.Combine(_temp, "not-a-dir");
        await File.WriteAllTextAsync(file, "x");

        var (code, _, stderr) = await TuneAsync(SimWorkload, file);

        code.Should().Be(2, stderr);
        ErrorLine(stderr).Should().Contain("--artifacts-root").And.Contain(file).And.Contain("is a file");
    }

    [Fact]
    public async Task An_artifacts_root_under_proc_exits_2_with_one_line_naming_the_option()
    {
        var (code, _, stderr) = await TuneAsync(SimWorkload, "/proc/1/ccl-agent-artifacts");

        code.Should().Be(2, stderr);
        ErrorLine(stderr).Should().Contain("--artifacts-root /proc/1/ccl-agent-artifacts");
    }

    [Fact]
    public async Task Bench_with_an_out_path_that_is_an_existing_file_exits_2_before_any_run()
    {
        string file = Path.Combine(_temp, "results");
        await File.WriteAllTextAsync(file, "x");

        var (code, _, stderr) = await CliProcess.RunAsync("bench", "--scenarios", SimWorkload, "--strategies", "nccl-default", "--seeds", "1", "--budget", "1", "--out", file, "--quiet");

        code.Should().Be(2, stderr);
        ErrorLine(stderr).Should().Contain("--out").And.Contain(file).And.Contain("is a file");
    }

    [Fact]
    public async Task A_5000_character_workload_name_still_gives_a_run_directory_within_the_file_name_limit()
    {
        JsonObject spec = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, SimWorkload)))!.AsObject();
        spec["name"] = new string('n', 5000);
        string workload = Path.Combine(_temp, "long-name.json");
        await File.WriteAllTextAsync(workload, spec.ToJsonString());
        string artifacts = Path.Combine(_temp, "art");

        var (code, _, stderr) = await TuneAsync(workload, artifacts);

        code.Should().Be(0, stderr);
        Path.GetFileName(Directory.GetDirectories(artifacts).Single()).Length.Should().BeLessThan(120);
    }

    [Fact]
    public async Task A_full_disk_under_the_artifacts_root_exits_3_with_one_line_and_no_pointer_to_a_missing_log()
    {
        // A 64 KiB tmpfs fills within the run; only root can mount one, and where it cannot there is nothing to check.
        string tiny = Path.Combine(_temp, "tiny");
        Directory.CreateDirectory(tiny);
        if (Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", tiny) != 0)
        {
            return;
        }

        _mounted = tiny;

        var (code, _, stderr) = await TuneAsync(SimWorkload, tiny);

        code.Should().Be(3, stderr);
        string line = ErrorLine(stderr);
        line.Should().ContainEquivalentOf("no space left");
        foreach (string word in line.Split(' ').Where(w => w.EndsWith(".clef", StringComparison.Ordinal)))
        {
            File.Exists(word).Should().BeTrue($"the message points to {word}");
        }
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> TuneAsync(string workload, string artifactsRoot) =>
        CliProcess.RunAsync("tune", "--workload", workload, "--dry-run", "--max-steps", "2", "--provider", "none", "--quiet", "--artifacts-root", artifactsRoot, "--memory", Path.Combine(_temp, "m.db"));

    /// <summary>The one error line; a stack trace or a second error fails the test.</summary>
    private static string ErrorLine(string stderr)
    {
        stderr.Should().NotContain("   at ");
        string[] errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        errors.Should().ContainSingle(stderr);
        return errors[0];
    }

    private static int Run(string program, params string[] args)
    {
        try
        {
            using Process process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
