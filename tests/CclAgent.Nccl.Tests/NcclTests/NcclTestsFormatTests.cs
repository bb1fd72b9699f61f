using CclAgent.Nccl.NcclTests;

namespace CclAgent.Nccl.Tests.NcclTests;

public sealed class NcclTestsFormatTests
{
    [Theory]
    [InlineData(24.1, 7, "  24.10")]
    [InlineData(9676.9, 7, "9676.90")]
    [InlineData(10052.3, 7, "10052.3")]
    [InlineData(158070.4, 7, " 158070")]
    [InlineData(12345678.0, 7, "1.2e+07")]
    [InlineData(353.81, 6, "353.81")]
    [InlineData(1008.24, 6, "1008.2")]
    [InlineData(20020.4, 6, " 20020")]
    [InlineData(1234567.0, 6, " 1e+06")]
    public void Floats_lose_precision_until_they_fit_like_getFloatStr(double value, int width, string expected) =>
        Assert.Equal(expected, NcclTestsNumber.Format(value, width));

    [Theory]
    [InlineData(70.742, "70.742")]
    [InlineData(124.81055, "124.811")]
    [InlineData(0, "0")]
    [InlineData(6.6972, "6.6972")]
    [InlineData(1234567, "1.23457e+06")]
    [InlineData(0.000012, "1.2e-05")]
    public void Average_prints_like_C_percent_g(double value, string expected) => Assert.Equal(expected, NcclTestsNumber.FormatG(value));

    [Theory]
    [InlineData("8", 8)]
    [InlineData("1K", 1024)]
    [InlineData("32M", 33554432)]
    [InlineData("8G", 8589934592)]
    [InlineData("8g", 8589934592)]
    public void Sizes_read_like_parsesize(string text, long bytes)
    {
        Assert.True(NcclTestsSize.TryParse(text, out long parsed));
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8X")]
    [InlineData("-1")]
    public void Bad_sizes_are_rejected(string text) => Assert.False(NcclTestsSize.TryParse(text, out _));

    [Fact]
    public void Written_rows_have_the_real_column_widths_and_read_back()
    {
        using var writer = new StringWriter();
        NcclTestsTableWriter.WriteHeader(writer, cpuTime: false);
        var row = new NcclTestsRow(1048576, 262144, "float", "sum", -1, new NcclTestsMeasurement(61.35, 17.09, 29.91, 0), new NcclTestsMeasurement(60.8, 17.25, 30.18, null));
        NcclTestsTableWriter.WriteRow(writer, row);
        NcclTestsTableWriter.WriteFooter(writer, 0, 30.045, "all_reduce_perf");
        string[] lines = writer.ToString().Split('\n');

        Assert.Equal("     1048576        262144     float     sum      -1    61.35   17.09   29.91       0    60.80   17.25   30.18     N/A", lines[4]);
        Assert.Equal("# Avg bus bandwidth    : 30.045 ", lines[6]);
        NcclTestsCollective parsed = Assert.Single(NcclTestsParser.Parse(writer.ToString()).Collectives);
        Assert.Equal(row with { InPlace = row.InPlace with { TimeUs = 60.80 } }, Assert.Single(parsed.Rows));
        Assert.True(parsed.AverageMatchesReported);
    }
}
