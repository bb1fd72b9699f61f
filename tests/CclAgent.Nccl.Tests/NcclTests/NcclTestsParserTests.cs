using System.Text;
using CclAgent.Nccl.NcclTests;

namespace CclAgent.Nccl.Tests.NcclTests;

public sealed class NcclTestsParserTests
{
    [Fact]
    public async Task Current_format_gives_every_field_of_every_row_and_both_averages()
    {
        NcclTestsReport report = await Fixture.ParseAsync("current.txt");

        NcclTestsCollective c = Assert.Single(report.Collectives);
        Assert.Equal("all_reduce_perf", c.Name);
        Assert.Equal(5, c.Rows.Count);
        NcclTestsRow first = c.Rows[0];
        Assert.Equal(new NcclTestsRow(8, 2, "float", "sum", -1, new NcclTestsMeasurement(41.87, 0, 0, 0), new NcclTestsMeasurement(41.02, 0, 0, 0)), first);
        Assert.Equal(6710.4, c.Rows[3].OutOfPlace.TimeUs); // %.1f fallback
        Assert.Equal(77321, c.Rows[4].OutOfPlace.TimeUs);  // %.0f fallback
        Assert.Equal(32.258, c.ReportedAvgBusBandwidth);
        Assert.Equal(32.258, c.AvgBusBandwidth!.Value, 3);
        Assert.True(c.AverageMatchesReported);
        Assert.Equal(0, c.OutOfBounds);
        Assert.False(c.LegacyErrorColumn);
        Assert.Equal(0, report.SkippedLines);
    }

    [Fact]
    public async Task Legacy_format_has_no_root_and_reads_the_float_error_column_as_wrong()
    {
        NcclTestsCollective c = Assert.Single((await Fixture.ParseAsync("legacy.txt")).Collectives);

        Assert.Null(c.Name);
        Assert.True(c.LegacyErrorColumn);
        Assert.All(c.Rows, r => Assert.Null(r.Root));
        Assert.Equal("sum", c.Rows[0].Redop);
        Assert.Equal(2e-07, c.Rows[1].OutOfPlace.Wrong);
        Assert.Equal(412.7, c.Rows[2].OutOfPlace.TimeUs);
        Assert.True(c.AverageMatchesReported);
    }

    [Fact]
    public async Task Legacy_broadcast_has_a_root_but_no_redop_and_NA_errors()
    {
        NcclTestsReport report = await Fixture.ParseAsync("legacy-broadcast.txt");
        NcclTestsCollective c = Assert.Single(report.Collectives);

        Assert.All(c.Rows, r => Assert.Equal(0, r.Root));
        Assert.All(c.Rows, r => Assert.Null(r.Redop));
        Assert.All(c.Rows, r => Assert.Null(r.OutOfPlace.Wrong));
        Assert.Equal(182004, c.Rows[2].OutOfPlace.TimeUs);
        Assert.True(c.AverageMatchesReported);
        Assert.Equal(2, report.SkippedLines); // the NCCL WARN and "NCCL version" lines
    }

    [Theory]
    [InlineData("mpi-openmpi.txt", 2)]
    [InlineData("mpi-mpich.txt", 0)]
    public async Task MPI_line_prefixes_are_stripped(string file, int skipped)
    {
        NcclTestsReport report = await Fixture.ParseAsync(file);
        NcclTestsCollective c = Assert.Single(report.Collectives);

        Assert.Equal("all_reduce_perf", c.Name);
        Assert.Equal(4, c.Rows.Count);
        Assert.Equal(148.18, c.Rows[2].OutOfPlace.BusBw);
        Assert.Equal(95.0425, c.ReportedAvgBusBandwidth);
        Assert.True(c.AverageMatchesReported);
        Assert.Equal(skipped, report.SkippedLines);
    }

    [Fact]
    public async Task NA_and_every_float_width_fallback_parse()
    {
        NcclTestsCollective c = Assert.Single((await Fixture.ParseAsync("na-enotation.txt")).Collectives);

        Assert.All(c.Rows, r => Assert.Null(r.OutOfPlace.Wrong));
        Assert.All(c.Rows, r => Assert.Null(r.InPlace.Wrong));
        Assert.Equal(1.2e+06, c.Rows[1].OutOfPlace.TimeUs);
        Assert.Equal(1008.2, c.Rows[2].InPlace.BusBw);
        Assert.Equal(20020, c.Rows[5].OutOfPlace.BusBw);
        Assert.True(c.AverageMatchesReported);
    }

    [Fact]
    public async Task Several_collectives_in_one_file_are_separate_tables()
    {
        NcclTestsReport report = await Fixture.ParseAsync("multi.txt");

        Assert.Equal(["all_reduce_perf", "all_gather_perf"], report.Collectives.Select(c => c.Name));
        Assert.Equal([3, 3], report.Collectives.Select(c => c.Rows.Count));
        Assert.Equal("none", report.Collectives[1].Rows[0].Redop);
        Assert.All(report.Collectives, c => Assert.True(c.AverageMatchesReported));
        Assert.Equal(2, report.SkippedLines); // the shell's "+ ./build/…" trace lines
    }

    [Fact]
    public async Task Garbage_lines_are_skipped_and_counted_without_losing_rows()
    {
        NcclTestsReport report = await Fixture.ParseAsync("garbage.txt");
        NcclTestsReport clean = await Fixture.ParseAsync("current.txt");

        Assert.Equal(clean.Collectives[0].Rows, report.Collectives[0].Rows);
        Assert.Equal(6, report.SkippedLines);
        Assert.True(report.Collectives[0].AverageMatchesReported);
    }

    [Fact]
    public async Task Cputime_and_per_iteration_columns_are_mapped_by_the_header()
    {
        NcclTestsCollective c = Assert.Single((await Fixture.ParseAsync("per-iteration.txt")).Collectives);

        Assert.Equal(2, c.Rows.Count);
        Assert.Equal(new NcclTestsMeasurement(110.42, 151.94, 265.90, 0), c.Rows[1].OutOfPlace);
        Assert.Equal(new NcclTestsMeasurement(110.01, 152.51, 266.89, 0), c.Rows[1].InPlace);
        Assert.True(c.AverageMatchesReported);
    }

    [Fact]
    public async Task A_log_without_a_table_has_no_collectives()
    {
        NcclTestsReport report = await Fixture.ParseAsync("no-table.txt");

        Assert.False(report.HasTable);
        Assert.Equal(3, report.SkippedLines);
    }

    [Fact]
    public void Rows_without_any_header_fall_back_to_the_current_layout()
    {
        NcclTestsReport report = NcclTestsParser.Parse("        8             2     float     sum      -1    24.10    0.00    0.00      0    23.90    0.00    0.00      0\n");

        Assert.Equal(24.1, Assert.Single(Assert.Single(report.Collectives).Rows).OutOfPlace.TimeUs);
    }

    [Fact]
    public async Task An_over_long_line_is_skipped_with_bounded_memory()
    {
        string text = await File.ReadAllTextAsync(Fixture.Path("current.txt"));
        string huge = new string('x', 5_000_000);
        using var reader = new StringReader(huge + "\n" + text);

        NcclTestsReport report = await NcclTestsParser.ParseAsync(reader);

        Assert.Equal(1, report.SkippedLines);
        Assert.Equal(5, report.Collectives[0].Rows.Count);
    }

    [Fact]
    public async Task Json_has_exactly_the_documented_shape()
    {
        NcclTestsReport report = await Fixture.ParseAsync("legacy.txt");
        using var stream = new MemoryStream();
        NcclTestsJsonWriter.Write(report, stream);
        using var json = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));

        var collective = Assert.Single(json.RootElement.GetProperty("collectives").EnumerateArray().ToArray());
        Assert.Equal(["name", "rows", "avg_bus_bandwidth", "reported_avg_bus_bandwidth"], collective.EnumerateObject().Select(p => p.Name));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, collective.GetProperty("name").ValueKind);
        var row = collective.GetProperty("rows")[0];
        Assert.Equal(["size", "count", "type", "redop", "root", "out_of_place", "in_place"], row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, row.GetProperty("root").ValueKind);
        Assert.Equal(["time_us", "algbw", "busbw", "wrong"], row.GetProperty("in_place").EnumerateObject().Select(p => p.Name));
        Assert.Equal(65536, row.GetProperty("size").GetInt64());
        Assert.Equal(16.92, row.GetProperty("out_of_place").GetProperty("time_us").GetDouble());
    }
}
