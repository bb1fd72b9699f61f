using CclAgent.Nccl.NcclTests;

namespace CclAgent.Nccl.Tests.NcclTests;

/// <summary>Rows whose time or bandwidth cannot be a measurement are dropped and reported, never averaged.</summary>
public sealed class NcclTestsInvalidRowTests
{
    private const string Header = """
        # Collective test starting: all_reduce_perf
        #       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong
        #        (B)    (elements)                               (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
        """;

    [Theory]
    [InlineData("-41.87", "0.00", "time", "-41.87")]
    [InlineData("0.00", "0.00", "time", "0.00")]
    [InlineData("41.87", "-3.50", "busbw", "-3.50")]
    [InlineData("inf", "0.00", "time", "inf")]
    public void A_row_with_a_negative_zero_or_non_finite_cell_is_dropped_and_named_with_its_line(string time, string busbw, string column, string token)
    {
        string text = $"""
            {Header}
                     8             2     float     sum      -1    {time}    0.00    {busbw}      0    41.02    0.00    0.00      0
                  1024           256     float     sum      -1    44.10    0.02    0.04      0    43.95    0.02    0.04      0
            """;

        NcclTestsReport report = NcclTestsParser.Parse(text);

        report.InvalidRows.Should().Be(1);
        report.InvalidValues.Should().ContainSingle().Which.Should().Be(new NcclTestsInvalidValue(4, column, token));
        report.Collectives.Should().ContainSingle().Which.Rows.Should().ContainSingle().Which.Size.Should().Be(1024);
    }

    [Fact]
    public async Task A_well_formed_file_has_no_invalid_rows()
    {
        NcclTestsReport report = await Fixture.ParseAsync("current.txt");

        report.InvalidRows.Should().Be(0);
        report.InvalidValues.Should().BeEmpty();
    }
}
