using CclAgent.Cli;
using CclAgent.Testing;

namespace CclAgent.Reporting.Tests;

public sealed class ReportCommandTests(DryRunFixture runs) : IClassFixture<DryRunFixture>
{
    [Fact]
    public void Tune_writes_postrun_report_html_next_to_report_md()
    {
        string html = File.ReadAllText(Path.Combine(runs.L40sRun, "postrun", "report.html"));

        html.Should().Contain("<svg").And.Contain("l40s-1x8-pcie-ddp").And.Contain("href=\"../steps/step_0.json\"");
        File.Exists(Path.Combine(runs.L40sRun, "postrun", "report.md")).Should().BeTrue();
    }

    [Fact]
    public async Task Two_runs_of_one_workload_get_mean_and_confidence_interval_in_html_and_markdown()
    {
        using var temp = new TempDirectory();
        string html = temp.File("r.html");
        string md = temp.File("r.md");

        var (code, _, stderr) = await DryRunFixture.CliAsync(["report", .. runs.A40Runs, "--html", html, "--md", md]);

        code.Should().Be(ExitCodes.Success, stderr);
        string markdown = File.ReadAllText(md);
        markdown.Should().Contain("## Across runs of the same workload").And.Contain("| autoccl-a40-4x8-llama3-8b | 2 |").And.Contain(" ± ");
        File.ReadAllText(html).Should().Contain("Across runs of the same workload");
        // Links are relative to the report file, so the report can be moved together with the runs.
        markdown.Should().Contain($"]({Path.GetRelativePath(temp.Path, runs.A40Runs[0]).Replace('\\', '/')}/steps/step_0.json)");
    }

    [Fact]
    public async Task Without_output_files_the_markdown_goes_to_stdout()
    {
        var (code, stdout, _) = await DryRunFixture.CliAsync("report", runs.L40sRun);

        code.Should().Be(ExitCodes.Success);
        stdout.Should().StartWith("# ccl-agent report — l40s-1x8-pcie-ddp").And.Contain("### Steps");
    }

    [Fact]
    public async Task A_tuned_time_more_than_PCT_above_the_baseline_run_exits_6_naming_both_times()
    {
        // The L40S run tunes to about 0.73 s per iteration and the A40 run to about 3.2 s: against the L40S run as
        // baseline the A40 run is a regression of far more than 3 %, and the reverse is none.
        var (code, _, stderr) = await DryRunFixture.CliAsync("report", runs.A40Runs[0], "--compare", runs.L40sRun, "--fail-on-regression", "3", "--md", Path.Combine(runs.Root, "c.md"));
        var (okCode, okOut, _) = await DryRunFixture.CliAsync("report", runs.L40sRun, "--compare", runs.A40Runs[0], "--fail-on-regression", "3", "--md", Path.Combine(runs.Root, "c2.md"));

        code.Should().Be(ExitCodes.Regression);
        stderr.Should().StartWith("regression: ").And.Contain("limit +3 %");
        okCode.Should().Be(ExitCodes.Success);
        okOut.Should().StartWith("no regression: ");
        File.ReadAllText(Path.Combine(runs.Root, "c.md")).Should().Contain("ratio (run / baseline run)").And.Contain("Best configuration, differences only");
    }

    [Fact]
    public async Task Same_run_compared_with_itself_shows_no_differences_and_no_regression()
    {
        var (code, stdout, _) = await DryRunFixture.CliAsync("report", runs.L40sRun, "--compare", runs.L40sRun, "--fail-on-regression", "0");

        code.Should().Be(ExitCodes.Success);
        stdout.Should().Contain("No outcome differs.").And.Contain("Same best configuration.").And.Contain("no regression: ");
    }

    [Fact]
    public async Task Missing_run_directory_exits_2_with_one_line()
    {
        var (code, _, stderr) = await DryRunFixture.CliAsync("report", "/nonexistent/run");

        code.Should().Be(ExitCodes.InvalidInput);
        stderr.TrimEnd().Should().Be("error: /nonexistent/run: not a directory (expected a run directory with postrun/summary.json, or a bench --out directory)");
    }

    [Fact]
    public async Task Corrupt_summary_exits_2_naming_the_file_and_json_path()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("run", "postrun"));
        temp.Write("run/postrun/summary.json", """{"run_id": "x", "speedup": "fast"}""");

        var (code, _, stderr) = await DryRunFixture.CliAsync("report", temp.Combine("run"));

        code.Should().Be(ExitCodes.InvalidInput);
        stderr.Should().StartWith($"error: {temp.Combine("run", "postrun", "summary.json")}: $.speedup: invalid JSON");
        stderr.TrimEnd().Should().NotContain("\n");
    }

    [Fact]
    public async Task Fail_on_regression_without_compare_is_a_usage_error()
    {
        var (code, _, _) = await DryRunFixture.CliAsync("report", runs.L40sRun, "--fail-on-regression", "3");

        code.Should().Be(ExitCodes.UsageError);
    }
}
