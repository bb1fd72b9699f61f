using CclAgent.Cli;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Tests;

/// <summary>
/// NCCL Inspector logs (Fixtures/inspector/SOURCE.md): the two READMEs' records verbatim and a hand-written 4-rank job;
/// every expected number below is derived by hand in SOURCE.md.
/// </summary>
public sealed class InspectorTraceTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "inspector");

    [Fact]
    public void The_exporter_readme_record_is_detected_and_its_reduce_scatter_sized_and_timed_the_nccl_tests_way()
    {
        TraceReport r = TraceAnalyzer.Analyze([Path.Combine(Dir, "exporter-readme-v40.log")], "auto", null);
        r.Format.Should().Be("nccl-inspector");
        r.Integrity.Valid.Should().BeTrue();
        r.Collectives.Should().ContainSingle().Which.Should().Be(new CollectiveRow("ReduceScatter", 2_097_152, "", "", "", 1, 110, 110, 19.065, 18.469, 1));
        r.Stragglers.Should().BeEmpty();
    }

    [Fact]
    public void A_v43_dump_gives_its_records_the_marker_header_and_reports_the_cut_short_dump_and_the_dropped_records()
    {
        TraceReport r = TraceAnalyzer.Analyze([Path.Combine(Dir, "readme-v43.log")], "auto", null);
        r.Collectives.Should().ContainSingle().Which.Should().Be(new CollectiveRow("AllReduce", 17_179_869_184, "", "RING", "LL", 1, 61974, 61974, 277.211, 485.119, 1));
        r.Integrity.Valid.Should().BeFalse();
        r.Integrity.Issues.Select(i => i.Kind).Should().BeEquivalentTo("inspector.truncated_dump", "inspector.dropped_records");
        r.Integrity.Issues.Should().Contain(i => i.Message.Contains("1024 more record(s)") && i.Message.Contains("readme-v43.log:1"));
        r.Integrity.Issues.Should().Contain(i => i.Message.Contains("overwrote 4096 coll record(s)"));
    }

    [Fact]
    public void A_directory_of_per_process_logs_is_one_job_with_its_collective_table()
    {
        TraceReport r = TraceAnalyzer.Analyze([Path.Combine(Dir, "job-4ranks")], "auto", null);
        r.Inputs.Should().HaveCount(4);
        r.Collectives.Should().Equal(
            new CollectiveRow("AllReduce", 16_777_216, "", "", "", 23, 1091.087, 1280, 15.377, 23.065, 4),
            new CollectiveRow("ReduceScatter", 16_777_216, "", "", "", 4, 2048.75, 2060, 8.189, 6.142, 4));
    }

    [Fact]
    public void The_rank_with_the_shortest_kernel_at_each_call_arrived_last_and_is_the_straggler()
    {
        TraceAnalyzer.Analyze([Path.Combine(Dir, "job-4ranks")], "nccl-inspector", null).Stragglers
            .Should().ContainSingle().Which.Should().Be(new StragglerRow(Rank: 3, Collectives: 6, Matched: 7, LateUsMean: 502.5, LateUsMedian: 492.5));
    }

    [Fact]
    public void A_line_cut_mid_write_is_reported_and_the_call_it_lost_is_counted_while_the_rest_is_analysed()
    {
        TraceReport r = TraceAnalyzer.Analyze([Path.Combine(Dir, "job-4ranks")], "auto", null);
        r.Integrity.Issues.Select(i => i.Kind).Should().Equal("record.invalid", "inspector.unmatched_calls");
        r.Integrity.Issues[0].Message.Should().Contain("node-a-pid102.log: 1 line(s)").And.Contain("line 7");
        r.Integrity.Issues[1].Message.Should().Contain("1 of 7 collective calls");
    }

    [Fact]
    public async Task A_file_with_no_inspector_record_exits_2_with_one_line_naming_the_file_and_line()
    {
        string path = Path.Combine(Path.GetTempPath(), $"inspector-bad-{Guid.NewGuid():N}.log");
        await File.WriteAllTextAsync(path, "{\"coll_perf\": {\"coll\": \"AllReduce\"\n");
        try
        {
            using var o = new StringWriter();
            using var e = new StringWriter();
            int code = await CliApp.InvokeAsync(["trace", "analyze", path, "--format", "nccl-inspector"], o, e);
            code.Should().Be(ExitCodes.InvalidInput);
            e.ToString().TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(path + ":1").And.Contain("not an NCCL Inspector record");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_cli_writes_the_inspector_tables_as_json()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        int code = await CliApp.InvokeAsync(["trace", "analyze", Path.Combine(Dir, "job-4ranks"), "--json"], o, e);
        code.Should().Be(ExitCodes.Success);
        using var doc = System.Text.Json.JsonDocument.Parse(o.ToString());
        doc.RootElement.GetProperty("format").GetString().Should().Be("nccl-inspector");
        doc.RootElement.GetProperty("stragglers")[0].GetProperty("rank").GetInt32().Should().Be(3);
        doc.RootElement.GetProperty("collectives")[0].GetProperty("busbw_gbps").GetDouble().Should().Be(23.065);
    }
}
