using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// A job that prints impossible iteration times (negative, zero, absurdly small or large, non-finite) through
/// the real CLI: those steps fail as implausible_metrics and never become the answer, the deliverables or memory.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadMetricsTests : IDisposable
{
    private readonly RobustnessWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1e-300")]
    [InlineData("1e308")]
    [InlineData("\"NaN\"")]
    public async Task A_step_printing_an_impossible_iteration_time_fails_as_implausible_metrics_and_never_becomes_the_best(string bad)
    {
        // Steps 1 and 2 print the bad value; the baseline (0) and the rest print 20 ms.
        string workload = await _work.WriteShellWorkloadAsync("bad", $$"""
            v=20.1
            case "$CCL_AGENT_STEP" in 1|2) v='{{bad}}' ;; esac
            for i in 1 2 3 4 5; do echo "CCL_METRICS {\"iteration_ms\": $v}"; done
            """);

        var (code, _, stderr) = await _work.TuneAsync(workload, "--max-steps", "3");

        code.Should().Be(0, stderr);
        string run = _work.RunDirectories().Should().ContainSingle().Subject;
        JsonNode step = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_1.json")))!;
        step["status"]!.GetValue<string>().Should().Be("failed");
        step["failure_class"]!.GetValue<string>().Should().Be("implausible_metrics");
        step["failure_message"]!.GetValue<string>().Should().Contain("not a plausible iteration time");
        JsonNode summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "postrun", "summary.json")))!;
        summary["best_iteration_ms"]!.GetValue<double>().Should().BeApproximately(20.1, 0.01);
        summary["speedup"]!.GetValue<double>().Should().BeApproximately(1.0, 0.01);
        (await ImplausibleRowsInMemoryAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_step_mixing_minus_1000_and_1e_minus_300_fails_without_crashing_the_surrogate()
    {
        string workload = await _work.WriteShellWorkloadAsync("mix", """
            if [ "$CCL_AGENT_STEP" = 0 ]; then
              for i in 1 2 3 4; do echo "CCL_METRICS {\"iteration_ms\": 20.$i}"; done
            else
              for i in 1 2; do echo "CCL_METRICS {\"iteration_ms\": -1000}"; echo "CCL_METRICS {\"iteration_ms\": 1e-300}"; done
            fi
            """);

        var (code, _, stderr) = await _work.TuneAsync(workload, "--max-steps", "3");

        code.Should().Be(0, stderr);
        string run = _work.RunDirectories().Should().ContainSingle().Subject;
        string env = await File.ReadAllTextAsync(Path.Combine(run, "postrun", "best_config.env"));
        JsonNode summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "postrun", "summary.json")))!;
        summary["best_iteration_ms"]!.GetValue<double>().Should().BeGreaterThan(20);
        env.Should().NotContain("NCCL_ALGO", "no trial measured, so the best stays NCCL's defaults");
        (await ImplausibleRowsInMemoryAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_negative_time_matched_by_the_iteration_regex_fails_the_step_as_implausible_metrics()
    {
        string workload = await _work.WriteShellWorkloadAsync("regex", """
            v=20.5
            [ "$CCL_AGENT_STEP" = 1 ] && v=-7
            for i in 1 2 3 4; do echo "step time $v ms"; done
            """, metrics: new JsonObject { ["iteration_regex"] = @"step time (?<ms>-?[0-9.]+) ms" });

        var (code, _, stderr) = await _work.TuneAsync(workload, "--max-steps", "2");

        code.Should().Be(0, stderr);
        string run = _work.RunDirectories().Should().ContainSingle().Subject;
        JsonNode step = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "steps", "step_1.json")))!;
        step["failure_class"]!.GetValue<string>().Should().Be("implausible_metrics");
        step["failure_message"]!.GetValue<string>().Should().Contain("-7");
    }

    [Fact]
    public async Task Nccltests_parse_refuses_a_negative_time_with_exit_2_naming_file_line_and_value()
    {
        string file = Path.Combine(_work.Root, "neg.txt");
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(CliRunner.RepoRoot, "tests/CclAgent.Nccl.Tests/NcclTests/Fixtures/current.txt"));
        int row = Array.FindIndex(lines, l => l.TrimStart().StartsWith("1024 ", StringComparison.Ordinal));
        lines[row] = lines[row].Replace("44.10", "-44.1", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(file, lines);

        var (code, _, stderr) = await CliRunner.RunAsync("nccltests", "parse", file);

        code.Should().Be(2);
        stderr.Trim().Should().Be($"error: {file}:{row + 1}: time -44.1 is not a valid measurement (times must be finite and > 0, bandwidths finite and >= 0)");
    }

    /// <summary>Trials or runs in memory whose time is not a positive, finite number: none may exist.</summary>
    private async Task<long> ImplausibleRowsInMemoryAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _work.Memory, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM trials WHERE iteration_ms IS NOT NULL AND (iteration_ms < 0.001 OR iteration_ms > 86400000))
                 + (SELECT COUNT(*) FROM runs WHERE best_iteration_ms IS NOT NULL AND (best_iteration_ms < 0.001 OR best_iteration_ms > 86400000 OR speedup > 1000));
            """;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
