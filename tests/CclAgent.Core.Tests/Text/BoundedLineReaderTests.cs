using System.Text;
using CclAgent.Core.Text;

namespace CclAgent.Core.Tests.Text;

public sealed class BoundedLineReaderTests
{
    private static readonly BoundedLineOptions Raw = new() { MaxLineLength = 64 };

    private static readonly BoundedLineOptions Logs = new()
    {
        MaxLineLength = 64,
        SkipBlankLines = true,
        SkipBinaryLines = true,
        StripAnsiEscapes = true,
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Lines_end_at_LF_and_CRLF_alike(string source)
    {
        (await ReadAll("a\r\nb\nc\r\n", Raw, source)).Should().Equal("a", "b", "c");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task The_last_line_without_a_newline_is_read(string source)
    {
        (await ReadAll("first\nlast", Raw, source)).Should().Equal("first", "last");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Empty_input_has_no_lines(string source)
    {
        (await ReadAll(string.Empty, Raw, source)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Blank_lines_come_back_unless_skipped_but_are_always_counted(string source)
    {
        (await ReadAll("a\n\n\r\nb", Raw, source)).Should().Equal("a", string.Empty, string.Empty, "b");

        using BoundedLineReader reader = Open("a\n\n\r\nb", Logs, source);
        (await Next(reader, source)).Should().BeTrue();
        (await Next(reader, source)).Should().BeTrue();
        reader.Current.ToString().Should().Be("b");
        reader.LineNumber.Should().Be(4);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_long_line_is_cut_at_the_cap_flagged_and_the_next_line_is_whole(string source)
    {
        string text = new string('x', 200) + "\nnext\n";
        using BoundedLineReader reader = Open(text, Raw, source);

        (await Next(reader, source)).Should().BeTrue();
        reader.Current.ToString().Should().Be(new string('x', 64));
        reader.CurrentTruncated.Should().BeTrue();

        (await Next(reader, source)).Should().BeTrue();
        reader.Current.ToString().Should().Be("next");
        reader.CurrentTruncated.Should().BeFalse();
        reader.LongLinesTruncated.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_line_exactly_at_the_cap_is_not_truncated(string source)
    {
        using BoundedLineReader reader = Open(new string('y', 64) + "\n", Raw, source);

        (await Next(reader, source)).Should().BeTrue();
        reader.CurrentTruncated.Should().BeFalse();
        reader.LongLinesTruncated.Should().Be(0);
    }

    [Fact]
    public void A_line_much_longer_than_the_read_buffer_still_costs_only_the_cap()
    {
        string text = new string('z', 1_000_000) + "\nend";
        using var reader = new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), new BoundedLineOptions { MaxLineLength = 1024 });

        reader.MoveNext().Should().BeTrue();
        reader.Current.Length.Should().Be(1024);
        reader.MoveNext().Should().BeTrue();
        reader.Current.ToString().Should().Be("end");
        reader.BytesRead.Should().Be(1_000_004);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Binary_lines_are_skipped_and_counted(string source)
    {
        using BoundedLineReader reader = Open("\0\u0001\u0002\u0003\nplain text\n\u0001\u0002\u0003\u0004\u0005ab\n", Logs, source);

        (await Next(reader, source)).Should().BeTrue();
        reader.Current.ToString().Should().Be("plain text");
        reader.LineNumber.Should().Be(2);
        (await Next(reader, source)).Should().BeFalse();
        reader.BinaryLinesSkipped.Should().Be(2);
    }

    [Fact]
    public void Lines_that_are_mostly_invalid_utf8_are_binary()
    {
        byte[] bytes = [0x80, 0x81, 0x82, (byte)'a', (byte)'\n', 0xC3, 0xA9, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0xE9];
        using var reader = new BoundedLineReader(new MemoryStream(bytes), Logs);

        reader.MoveNext().Should().BeTrue();
        reader.Current.ToString().Should().Be("étest\uFFFD");
        reader.BinaryLinesSkipped.Should().Be(1);
    }

    [Fact]
    public void Binary_lines_come_back_when_not_filtered()
    {
        using var reader = new BoundedLineReader(new StringReader("\0\u0001\n"), Raw);

        reader.MoveNext().Should().BeTrue();
        reader.Current.ToString().Should().Be("\0\u0001");
        reader.BinaryLinesSkipped.Should().Be(0);
    }

    [Fact]
    public void Tabs_and_a_few_control_characters_are_still_text()
    {
        using var reader = new BoundedLineReader(new StringReader("col1\tcol2\tcol3 with a bell \u0007 in it\n"), Logs);

        reader.MoveNext().Should().BeTrue();
        reader.BinaryLinesSkipped.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Ansi_colours_are_removed_when_asked(string source)
    {
        (await ReadAll("\u001b[31mred\u001b[0m and \u001b[1;32mgreen\u001b[0m\n", Logs, source)).Should().Equal("red and green");
        (await ReadAll("\u001b[31mred\n", Raw, source)).Should().Equal("\u001b[31mred");
    }

    [Fact]
    public void Line_numbers_start_at_the_first_line_number()
    {
        using var reader = new BoundedLineReader(new StringReader("a\nb\n"), Raw with { FirstLineNumber = 10 });

        reader.LineNumber.Should().Be(9);
        reader.MoveNext();
        reader.LineNumber.Should().Be(10);
        reader.MoveNext();
        reader.LineNumber.Should().Be(11);
    }

    [Fact]
    public void Bytes_read_are_the_size_of_the_stream_at_the_end()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("één\ntwee\n");
        using var reader = new BoundedLineReader(new MemoryStream(bytes), Raw);

        while (reader.MoveNext())
        {
        }

        reader.BytesRead.Should().Be(bytes.Length);
    }

    [Fact]
    public void A_cap_below_64_is_raised_to_64()
    {
        using var reader = new BoundedLineReader(new StringReader(new string('a', 64)), new BoundedLineOptions { MaxLineLength = 1 });

        reader.MoveNext().Should().BeTrue();
        reader.CurrentTruncated.Should().BeFalse();
    }

    [Fact]
    public void Disposing_closes_the_input_unless_told_to_leave_it_open()
    {
        var owned = new MemoryStream([1]);
        var borrowed = new MemoryStream([1]);

        new BoundedLineReader(owned, Raw).Dispose();
        new BoundedLineReader(borrowed, Raw with { LeaveOpen = true }).Dispose();

        owned.CanRead.Should().BeFalse();
        borrowed.CanRead.Should().BeTrue();
    }

    /// <summary>Every test runs over a UTF-8 stream and a text reader, each read synchronously and asynchronously.</summary>
    public static TheoryData<string> Sources => new() { "stream", "stream async", "text reader", "text reader async" };

    private static BoundedLineReader Open(string text, BoundedLineOptions options, string source) => source.StartsWith("stream")
        ? new BoundedLineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), options)
        : new BoundedLineReader(new StringReader(text), options);

    private static async Task<bool> Next(BoundedLineReader reader, string source) =>
        source.EndsWith("async") ? await reader.MoveNextAsync() : reader.MoveNext();

    private static async Task<List<string>> ReadAll(string text, BoundedLineOptions options, string source)
    {
        using BoundedLineReader reader = Open(text, options, source);
        var lines = new List<string>();
        while (await Next(reader, source))
        {
            lines.Add(reader.Current.ToString());
        }

        return lines;
    }
}
