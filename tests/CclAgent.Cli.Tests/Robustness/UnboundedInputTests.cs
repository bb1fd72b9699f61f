using System.Text.Json.Nodes;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// Inputs that never end or never fit: a job printing one enormous line, devices and FIFOs given as input
/// files, an oversized JSON file. Each must end in a bounded time with bounded memory and a clear exit code.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UnboundedInputTests : IDisposable
{
    private const long MaxLogBytes = 64L << 20;

    private readonly string _temp = Directory.CreateTempSubdirectory("ccl-unbounded-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task A_job_printing_a_50_MB_line_and_70_MB_of_output_completes_with_a_capped_log_and_the_truncation_recorded()
    {
        string script = Path.Combine(_temp, "flood.sh");
        await File.WriteAllTextAsync(script, """
            # The baseline step floods its stdout: one 50 MB line without a break, then 70 MB of short lines, then its metrics.
            if [ "$CCL_AGENT_STEP" = 0 ]; then
              head -c 50000000 /dev/zero | tr '\0' 'x'
              echo
              yes 'a verbose job repeats this line' | head -c 70000000
            fi
            for i in 1 2 3 4 5; do echo "CCL_METRICS {\"iteration_ms\": 12.$i}"; done
            """);
        string workload = await WriteWorkloadAsync(new JsonArray("/bin/sh", script));

        var (code, _, stderr) = await TuneAsync(workload);

        code.Should().Be(0, stderr);
        string steps = Path.Combine(Directory.GetDirectories(Path.Combine(_temp, "art")).Single(), "steps");
        var log = new FileInfo(Path.Combine(steps, "step_0_stdout.log"));
        log.Length.Should().BeLessThanOrEqualTo(MaxLogBytes + 100, "the step log is capped at 64 MiB plus one marker line");
        File.ReadLines(log.FullName).Last().Should().MatchRegex(@"^\[truncated: \d+ bytes dropped\]$");
        File.ReadLines(log.FullName).First().Length.Should().Be(64 * 1024, "the 50 MB line is cut at 64 KiB");
        JsonNode stdout = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(steps, "step_0_command.json")))!["output"]!["stdout"]!;
        stdout["long_lines_truncated"]!.GetValue<long>().Should().Be(1);
        stdout["dropped_bytes"]!.GetValue<long>().Should().BeGreaterThan(0);
        stdout["truncated"]!.GetValue<bool>().Should().BeTrue();
        JsonNode step = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(steps, "step_0.json")))!;
        step["metrics"]!["samples"]!.GetValue<int>().Should().BeGreaterThan(0, "metrics printed after the flood are still parsed");
    }

    [Theory]
    [InlineData("tune --workload /dev/zero --dry-run", "/dev/zero")]
    [InlineData("tune --workload /dev/urandom --dry-run", "/dev/urandom")]
    [InlineData("tune --workload {fifo} --dry-run", "{fifo}")]
    [InlineData("tune --workload {dir} --dry-run", "{dir}")]
    [InlineData("tune --workload workload/sim/l40s-1x8-pcie-ddp.json --config /dev/urandom --dry-run", "/dev/urandom")]
    [InlineData("bench --scenarios /dev/zero --out {dir}/bench", "/dev/zero")]
    [InlineData("watch --log /dev/zero", "/dev/zero")]
    [InlineData("watch --log {fifo} --once", "{fifo}")]
    [InlineData("diagnose --log /dev/zero", "/dev/zero")]
    [InlineData("diagnose --log {fifo}", "{fifo}")]
    [InlineData("diagnose --log {log} --code /dev/urandom", "/dev/urandom")]
    [InlineData("nccltests parse /dev/zero", "/dev/zero")]
    [InlineData("nccltests parse {fifo}", "{fifo}")]
    public async Task A_device_fifo_or_directory_given_as_an_input_file_exits_2_with_one_line_naming_it(string commandLine, string input)
    {
        string fifo = Path.Combine(_temp, "pipe");
        await RunToolAsync("mkfifo", fifo);
        string log = Path.Combine(_temp, "train.log");
        await File.WriteAllTextAsync(log, "step 1 loss 2.5\n");
        string[] args = [.. commandLine.Split(' ').Select(a => a.Replace("{fifo}", fifo).Replace("{dir}", _temp).Replace("{log}", log)), "--provider", "none"];
        if (!commandLine.StartsWith("tune", StringComparison.Ordinal))
        {
            args = args[..^2];
        }

        var (code, _, stderr) = await CliProcess.RunAsync(args);

        code.Should().Be(2, stderr);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle(l => l.StartsWith("error:", StringComparison.Ordinal), stderr);
        lines.Single(l => l.StartsWith("error:", StringComparison.Ordinal)).Should().Contain(input.Replace("{fifo}", fifo).Replace("{dir}", _temp)).And.Contain("is not a regular file");
        stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task A_workload_file_over_16_MiB_exits_2_naming_the_limit()
    {
        string workload = Path.Combine(_temp, "huge.json");
        string valid = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload/sim/l40s-1x8-pcie-ddp.json"));
        await File.WriteAllTextAsync(workload, valid + new string(' ', 17 << 20));

        var (code, _, stderr) = await TuneAsync(workload, "--dry-run", "--max-steps", "1");

        code.Should().Be(2, stderr);
        stderr.Should().Contain(workload).And.Contain("larger than the 16 MiB limit");
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> TuneAsync(string workload, params string[] extra) =>
        CliProcess.RunAsync(["tune", "--workload", workload, "--provider", "none", "--quiet", "--artifacts-root", Path.Combine(_temp, "art"), "--memory", Path.Combine(_temp, "m.db"), .. extra]);

    /// <summary>The mpirun example's cluster, its microbenchmark run directly and small, one online step, and <paramref name="command"/> as the job.</summary>
    private async Task<string> WriteWorkloadAsync(JsonArray command)
    {
        JsonObject workload = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "workload/local/mpirun-sim-nccl-tests.json")))!.AsObject();
        workload.Remove("launcher");
        workload["microbenchmark"] = new JsonObject
        {
            ["command"] = new JsonArray("ccl-agent", "sim", "nccl-tests", "--op", "{op}", "-g", "4", "--workload", "{workload_file}"),
            ["max_runs"] = 2,
        };
        workload["command"] = command;
        workload["tuning"] = new JsonObject { ["budget"] = 1, ["warmup_iterations"] = 0, ["step_timeout_seconds"] = 120 };
        string path = Path.Combine(_temp, "flood.json");
        await File.WriteAllTextAsync(path, workload.ToJsonString());
        return path;
    }

    private static async Task RunToolAsync(string program, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(program, args);
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"{program} failed");
    }
}
