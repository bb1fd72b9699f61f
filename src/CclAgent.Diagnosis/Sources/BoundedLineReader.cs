using System.Text;

namespace CclAgent.Diagnosis.Sources;

/// <summary>
/// Reads a stream line by line with bounded memory: one fixed read buffer and one fixed line buffer.
/// Bytes past <c>maxLineBytes</c> on a line are dropped (a log with no newlines costs no more memory than
/// a short one), lines that look binary are skipped, invalid UTF-8 decodes to U+FFFD and ANSI colour
/// escapes are removed so patterns see the text a terminal would show.
/// </summary>
internal sealed class BoundedLineReader : IDisposable
{
    private const byte NewLine = (byte)'\n';
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly byte[] _line;
    private readonly char[] _chars;
    private int _start;
    private int _end;
    private int _lineLength;
    private int _charCount;
    private bool _lineTruncated;
    private bool _eof;

    public BoundedLineReader(Stream stream, int maxLineBytes, long firstLineNumber = 1)
    {
        _stream = stream;
        _line = new byte[Math.Max(64, maxLineBytes)];
        _chars = new char[_line.Length];
        LineNumber = firstLineNumber - 1;
    }

    public long LineNumber { get; private set; }
    public long BytesRead { get; private set; }
    public long BinaryLinesSkipped { get; private set; }
    public long LongLinesTruncated { get; private set; }

    /// <summary>The current line's text; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Current => _chars.AsSpan(0, _charCount);

    /// <summary>Advances to the next non-empty text line; false at the end of the stream.</summary>
    public bool MoveNext()
    {
        while (ReadRawLine())
        {
            LineNumber++;
            if (_lineTruncated)
            {
                LongLinesTruncated++;
            }

            ReadOnlySpan<byte> bytes = _line.AsSpan(0, _lineLength).TrimEnd((byte)'\r');
            if (bytes.IsEmpty)
            {
                continue;
            }

            if (LooksBinary(bytes))
            {
                BinaryLinesSkipped++;
                continue;
            }

            _charCount = Encoding.UTF8.GetChars(bytes, _chars);
            if (_chars.AsSpan(0, _charCount).Contains('\u001b'))
            {
                _charCount = StripAnsi(_chars.AsSpan(0, _charCount));
            }

            if (Current.Count('\uFFFD') * 4 > _charCount)
            {
                BinaryLinesSkipped++;
                continue;
            }

            return true;
        }

        return false;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Collects the bytes of the next line (up to the cap) into the line buffer.</summary>
    private bool ReadRawLine()
    {
        _lineLength = 0;
        _lineTruncated = false;
        bool any = false;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                return any;
            }

            any = true;
            ReadOnlySpan<byte> available = _buffer.AsSpan(_start, _end - _start);
            int newline = available.IndexOf(NewLine);
            ReadOnlySpan<byte> part = newline >= 0 ? available[..newline] : available;
            Append(part);
            _start += newline >= 0 ? newline + 1 : part.Length;
            if (newline >= 0)
            {
                return true;
            }
        }
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        int room = _line.Length - _lineLength;
        if (part.Length > room)
        {
            _lineTruncated = true;
            part = part[..room];
        }

        part.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += part.Length;
    }

    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        int read = _stream.Read(_buffer, 0, _buffer.Length);
        _start = 0;
        _end = read;
        BytesRead += read;
        _eof = read == 0;
        return read > 0;
    }

    /// <summary>NUL bytes, or more than one control byte in ten (tabs, form feeds and escapes excepted), mean binary.</summary>
    private static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        // Fast path: almost every log line has no control byte at all (vectorised search).
        if (bytes.IndexOfAnyInRange((byte)0, (byte)0x1f) < 0)
        {
            return false;
        }

        if (bytes.Contains((byte)0))
        {
            return true;
        }

        int control = 0;
        foreach (byte b in bytes)
        {
            if (b < 0x20 && b is not (byte)'\t' and not 0x1b and not 0x0c and not (byte)'\r')
            {
                control++;
            }
        }

        return control * 10 > bytes.Length;
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
