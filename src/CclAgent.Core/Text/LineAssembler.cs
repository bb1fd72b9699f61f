namespace CclAgent.Core.Text;

/// <summary>
/// The buffering under <see cref="BoundedLineReader"/>, for bytes or characters: input arrives in reads of any
/// size, a line is collected up to a fixed cap and the rest of it is dropped, so memory is two fixed arrays
/// whatever the input.
/// </summary>
internal sealed class LineAssembler<T>(int readBufferLength, int maxLineLength, T terminator)
    where T : unmanaged, IEquatable<T>
{
    private readonly T[] _buffer = new T[readBufferLength];
    private readonly T[] _line = new T[maxLineLength];
    private int _start;
    private int _end;
    private int _lineLength;

    /// <summary>True when every buffered element has been taken: the next step is a read into <see cref="ReadBuffer"/>.</summary>
    public bool Drained => _start == _end;

    /// <summary>Where the next read goes; report its length with <see cref="Filled"/>.</summary>
    public Memory<T> ReadBuffer => _buffer;

    /// <summary>The line collected so far, without its terminator, at most the cap long.</summary>
    public ReadOnlySpan<T> Line => _line.AsSpan(0, _lineLength);

    /// <summary>True when the line was longer than the cap and its end was dropped.</summary>
    public bool Truncated { get; private set; }

    public void Filled(int count)
    {
        _start = 0;
        _end = count;
    }

    public void StartLine()
    {
        _lineLength = 0;
        Truncated = false;
    }

    /// <summary>Moves buffered input into the line up to the terminator; true when the terminator was reached (and consumed).</summary>
    public bool TakeUntilTerminator()
    {
        ReadOnlySpan<T> available = _buffer.AsSpan(_start, _end - _start);
        int end = available.IndexOf(terminator);
        ReadOnlySpan<T> part = end >= 0 ? available[..end] : available;
        Append(part);
        _start += end >= 0 ? end + 1 : part.Length;
        return end >= 0;
    }

    private void Append(ReadOnlySpan<T> part)
    {
        int room = _line.Length - _lineLength;
        if (part.Length > room)
        {
            Truncated = true;
            part = part[..room];
        }

        part.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += part.Length;
    }
}
