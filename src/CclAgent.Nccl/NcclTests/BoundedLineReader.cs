using System.Text;

namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// Reads lines without ever holding more than <see cref="MaxLineChars"/> of one: a binary blob or a
/// log with no newlines cannot make the parser allocate the whole file. Longer lines come back truncated and flagged.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader)
{
    public const int MaxLineChars = 16 * 1024;

    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;
    private bool _eof;

    public async ValueTask<BoundedLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        bool truncated = false;
        bool any = false;
        while (true)
        {
            if (_position == _length)
            {
                if (_eof)
                {
                    return any ? new BoundedLine(_line.ToString(), truncated) : null;
                }

                _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                _position = 0;
                if (_length == 0)
                {
                    _eof = true;
                    continue;
                }
            }

            any = true;
            char c = _buffer[_position++];
            if (c == '\n')
            {
                return new BoundedLine(_line.ToString(), truncated);
            }

            if (_line.Length < MaxLineChars)
            {
                _line.Append(c);
            }
            else
            {
                truncated = true;
            }
        }
    }

    internal sealed record BoundedLine(string Text, bool Truncated);
}
