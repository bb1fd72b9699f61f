using CclAgent.Cli;
using CclAgent.Testing;

namespace CclAgent.Trace.Tests;

/// <summary>The verb through the real command tree: bad input exits 2 with one line; --out writes both files.</summary>
public sealed class TraceCliTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        int code = await CliApp.InvokeAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task Analyze_exits_2_with_one_line_naming_the_file_when_json_is_malformed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"trace-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{\"traces\": [ {\"trace_id\": ");
        try
        {
            (int code, _, string err) = await Run("trace", "analyze", path);
            code.Should().Be(ExitCodes.InvalidInput);
            err.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Analyze_exits_2_when_a_trace_lacks_a_required_field()
    {
        string path = Path.Combine(Path.GetTempPath(), $"trace-field-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{\"execution_id\":\"e\",\"workflow_name\":\"w\",\"status\":\"ok\",\"traces\":[{\"trace_id\":\"t\",\"step_id\":\"s\",\"status\":\"success\",\"end_time\":\"2026-01-01T00:00:00Z\"}]}");
        try
        {
            (int code, _, string err) = await Run("trace", "analyze", path);
            code.Should().Be(ExitCodes.InvalidInput);
            err.Should().Contain("$.traces[0].start_time");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Analyze_writes_report_and_analysis_json_with_every_section_under_out()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"trace-out-{Guid.NewGuid():N}");
        try
        {
            (int code, string stdout, _) = await Run("trace", "analyze", Path.Combine(RepoPaths.Root, "examples", "traces", "slow-step.json"), "--json", "--out", dir);
            code.Should().Be(ExitCodes.Success);
            File.ReadAllText(Path.Combine(dir, "report.md")).Should().Contain("bottleneck: parse");
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "analysis.json")));
            doc.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
                "inputs", "format", "integrity", "graph", "critical_path", "bottlenecks", "parallelism", "failures", "patterns", "health", "breakdown", "overlap", "stragglers", "collectives");
            stdout.Should().Contain("\"critical_path\"");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact]
    public async Task Workload_writes_a_spec_that_tune_dry_run_accepts()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"trace-workload-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string spec = Path.Combine(dir, "workload.json");
            string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
            (int code, string stdout, string err) = await Run("trace", "workload", Path.Combine(fixtures, "straggler"), "--cluster", Path.Combine(fixtures, "clusters", "h100-1x8.json"), "--out", spec);
            code.Should().Be(ExitCodes.Success, err);
            stdout.Should().Contain(spec);
            (code, _, err) = await Run("tune", "--workload", spec, "--dry-run", "--max-steps", "2", "--provider", "none", "--memory", Path.Combine(dir, "m.db"), "--artifacts-root", dir);
            code.Should().Be(ExitCodes.Success, err);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Workload_exits_2_with_one_line_naming_a_trace_that_is_not_kineto()
    {
        string path = Path.Combine(Path.GetTempPath(), $"trace-notkineto-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{\"traceEvents\": [ {\"ph\": \"X\", ");
        try
        {
            string cluster = Path.Combine(AppContext.BaseDirectory, "Fixtures", "clusters", "h100-1x8.json");
            (int code, _, string err) = await Run("trace", "workload", path, "--cluster", cluster);
            code.Should().Be(ExitCodes.InvalidInput);
            err.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Workload_exits_2_with_one_line_naming_a_missing_cluster_file()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"no-cluster-{Guid.NewGuid():N}.json");
        (int code, _, string err) = await Run("trace", "workload", Path.Combine(AppContext.BaseDirectory, "Fixtures", "straggler"), "--cluster", missing);
        code.Should().Be(ExitCodes.InvalidInput);
        err.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(missing);
    }
}
