using System.Text;

namespace CclAgent.Core.Text;

/// <summary>
/// Reads lines with bounded memory, from a stream (decoded as UTF-8, invalid bytes as U+FFFD) or a text reader:
/// one fixed read buffer and one fixed line buffer, so a binary blob or a log with no newlines costs no more
/// than a short line. The part of a line past <see cref="BoundedLineOptions.MaxLineLength"/> is dropped and the
/// line flagged; <c>\n</c> and <c>\r\n</c> both end a line, and a last line without a newline still counts.
/// Blank, binary and ANSI-coloured lines are filtered as the options ask.
/// </summary>
public sealed class BoundedLineReader : IDisposable
{
    private const int MinLineLength = 64;
    private const int StreamBufferBytes = 1 << 16;
    private const int ReaderBufferChars = 8192;

    private readonly Stream? _stream;
    private readonly TextReader? _reader;
    private readonly LineAssembler<byte>? _bytes;
    private readonly LineAssembler<char>? _chars;
    private readonly BoundedLineOptions _options;
    private readonly char[] _text;
    private int _textLength;
    private bool _eof;

    /// <summary>Reads UTF-8 lines from <paramref name="stream"/>; <see cref="BoundedLineOptions.MaxLineLength"/> counts bytes.</summary>
    public BoundedLineReader(Stream stream, BoundedLineOptions options)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _bytes = new LineAssembler<byte>(StreamBufferBytes, _text.Length, (byte)'\n');
    }

    /// <summary>Reads lines from <paramref name="reader"/>; <see cref="BoundedLineOptions.MaxLineLength"/> counts characters.</summary>
    public BoundedLineReader(TextReader reader, BoundedLineOptions options)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _reader = reader;
        _chars = new LineAssembler<char>(ReaderBufferChars, _text.Length, '\n');
    }

    private BoundedLineReader(BoundedLineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;

        // A UTF-8 line never decodes to more characters than it has bytes, so one length fits both buffers.
        _text = new char[Math.Max(MinLineLength, options.MaxLineLength)];
        LineNumber = options.FirstLineNumber - 1;
    }

    /// <summary>The number of the current line, counting skipped ones; before the first line, one less than the first number.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes read from a stream so far (characters for a text reader): the input's size once the end is reached.</summary>
    public long BytesRead { get; private set; }

    public long BinaryLinesSkipped { get; private set; }

    public long LongLinesTruncated { get; private set; }

    /// <summary>The current line's text, without its line ending; valid until the next move.</summary>
    public ReadOnlySpan<char> Current => _text.AsSpan(0, _textLength);

    /// <summary>True when the current line was longer than the cap and <see cref="Current"/> holds only its beginning.</summary>
    public bool CurrentTruncated { get; private set; }

    /// <summary>Advances to the next line the options let through; false at the end of the input.</summary>
    public bool MoveNext()
    {
        while (ReadRawLine())
        {
            if (Accept())
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc cref="MoveNext"/>
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        while (await ReadRawLineAsync(cancellationToken))
        {
            if (Accept())
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        if (!_options.LeaveOpen)
        {
            _stream?.Dispose();
            _reader?.Dispose();
        }
    }

    private bool ReadRawLine()
    {
        StartLine();
        bool any = false;
        while (true)
        {
            if (Drained && !Filled(Fill()))
            {
                return any;
            }

            any = true;
            if (TakeUntilNewline())
            {
                return true;
            }
        }
    }

    private async ValueTask<bool> ReadRawLineAsync(CancellationToken cancellationToken)
    {
        StartLine();
        bool any = false;
        while (true)
        {
            if (Drained && !Filled(await FillAsync(cancellationToken)))
            {
                return any;
            }

            any = true;
            if (TakeUntilNewline())
            {
                return true;
            }
        }
    }

    private bool Drained => _bytes?.Drained ?? _chars!.Drained;

    private void StartLine()
    {
        _bytes?.StartLine();
        _chars?.StartLine();
    }

    private bool TakeUntilNewline() => _bytes?.TakeUntilTerminator() ?? _chars!.TakeUntilTerminator();

    private int Fill()
    {
        if (_eof)
        {
            return 0;
        }

        return _bytes is not null ? _stream!.Read(_bytes.ReadBuffer.Span) : _reader!.Read(_chars!.ReadBuffer.Span);
    }

    private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            return 0;
        }

        return _bytes is not null
            ? await _stream!.ReadAsync(_bytes.ReadBuffer, cancellationToken)
            : await _reader!.ReadAsync(_chars!.ReadBuffer, cancellationToken);
    }

    /// <summary>Takes note of a read; false at the end of the input, which is never read again.</summary>
    private bool Filled(int read)
    {
        _bytes?.Filled(read);
        _chars?.Filled(read);
        BytesRead += read;
        _eof = read == 0;
        return read > 0;
    }

    /// <summary>Counts and decodes the raw line just read; false when the options filter it out.</summary>
    private bool Accept()
    {
        LineNumber++;
        CurrentTruncated = _bytes?.Truncated ?? _chars!.Truncated;
        if (CurrentTruncated)
        {
            LongLinesTruncated++;
        }

        int encodedLength = Decode();
        if (encodedLength == 0)
        {
            return !_options.SkipBlankLines;
        }

        if (_options.SkipBinaryLines && LooksBinary(Current, encodedLength))
        {
            BinaryLinesSkipped++;
            return false;
        }

        if (_options.StripAnsiEscapes && Current.Contains('\u001b'))
        {
            _textLength = StripAnsi(_text.AsSpan(0, _textLength));
        }

        if (_options.SkipBinaryLines && Current.Count('\uFFFD') * 4 > _textLength)
        {
            BinaryLinesSkipped++;
            return false;
        }

        return true;
    }

    /// <summary>Puts the raw line, without trailing carriage returns, into the text buffer; returns its raw length.</summary>
    private int Decode()
    {
        if (_bytes is not null)
        {
            ReadOnlySpan<byte> bytes = _bytes.Line.TrimEnd((byte)'\r');
            _textLength = Encoding.UTF8.GetChars(bytes, _text);
            return bytes.Length;
        }

        ReadOnlySpan<char> chars = _chars!.Line.TrimEnd('\r');
        chars.CopyTo(_text);
        _textLength = chars.Length;
        return chars.Length;
    }

    /// <summary>
    /// NUL, or more than one control character per ten raw units (tabs, form feeds, escapes and carriage returns
    /// excepted), means binary. Counting on the decoded text gives the byte counts: UTF-8 control bytes are always
    /// single characters, and invalid bytes decode to U+FFFD, never to a control character.
    /// </summary>
    private static bool LooksBinary(ReadOnlySpan<char> text, int rawLength)
    {
        // Fast path: almost every log line has no control character at all (vectorised search).
        if (text.IndexOfAnyInRange('\0', '\u001f') < 0)
        {
            return false;
        }

        if (text.Contains('\0'))
        {
            return true;
        }

        int control = 0;
        foreach (char c in text)
        {
            if (c < ' ' && c is not '\t' and not '\u001b' and not '\f' and not '\r')
            {
                control++;
            }
        }

        return control * 10 > rawLength;
    }

    /// <summary>Removes CSI sequences (ESC [ … final byte) in place; returns the new length.</summary>
    private static int StripAnsi(Span<char> chars)
    {
        int write = 0;
        for (int read = 0; read < chars.Length; read++)
        {
            if (chars[read] == '\u001b' && read + 1 < chars.Length && chars[read + 1] == '[')
            {
                read += 2;
                while (read < chars.Length && chars[read] is < '@' or > '~')
                {
                    read++;
                }

                continue;
            }

            chars[write++] = chars[read];
        }

        return write;
    }
}
