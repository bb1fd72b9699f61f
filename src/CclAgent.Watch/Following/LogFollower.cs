using System.Runtime.CompilerServices;
using System.Text;

namespace CclAgent.Watch.Following;

/// <summary>
/// Reads a growing log file like <c>tail -F</c>: complete lines only (a partial last line waits for its newline),
/// survives rotation (rename + new file: the old file is drained first), truncation, and a file that does not exist yet.
/// Memory is bounded by the longest line (capped), not by the file. Not thread-safe: one reader loop owns it.
/// </summary>
/// <remarks>
/// .NET exposes no inode, so a replaced file is recognised by its first bytes (the <em>fingerprint</em>) and its size:
/// a file at the path whose beginning differs from the one being read is a new file. Training logs start with
/// timestamps or values that differ between runs, so this is reliable in practice; a recreated file that is still
/// shorter than the fingerprint and identical so far is handled as a truncation (same result: read from its start).
/// </remarks>
public sealed class LogFollower : IDisposable
{
    private const int FingerprintBytes = 256;
    private const int MaxLineBytes = 4 * 1024 * 1024;

    private readonly string _path;
    private FileStream? _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private char[] _chars = new char[4 * 1024];
    private int _start;
    private int _end;
    private long _line;
    private byte[] _fingerprint = [];
    private bool _draining;

    /// <param name="path">The file to follow.</param>
    /// <param name="tailBytes">When set, the first open starts this many bytes before the end (at a line start) instead of at the beginning; line numbers still count the skipped lines.</param>
    public LogFollower(string path, long? tailBytes = null)
    {
        _path = path;
        TailBytes = tailBytes;
    }

    public string Path => _path;

    /// <summary>Where the first open starts, counted back from the end; null to read from the start.</summary>
    public long? TailBytes { get; private set; }

    /// <summary>True while a file is open.</summary>
    public bool IsOpen => _stream is not null;

    /// <summary>The number of the last complete line returned (in the current file).</summary>
    public long LastLineNumber => _line;

    /// <summary>Opens the file if it exists and is not open yet.</summary>
    public FileChange TryOpen()
    {
        if (_stream is not null || !File.Exists(_path))
        {
            return FileChange.None;
        }

        try
        {
            _stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (FileNotFoundException)
        {
            return FileChange.None;
        }

        _fingerprint = ReadPrefix(_stream);
        if (TailBytes is long tail && _stream.Length > tail)
        {
            SkipTo(_stream.Length - tail);
        }

        TailBytes = null;
        return FileChange.Opened;
    }

    /// <summary>Returns the next complete line, or false when none is available now.</summary>
    public bool TryReadLine(out LogLine line)
    {
        while (true)
        {
            if (TryTakeLine(out line))
            {
                return true;
            }

            if (_stream is null || !Fill())
            {
                return false;
            }
        }
    }

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>
    /// Like <see cref="TryReadLine(out LogLine)"/>, but the text is decoded into a buffer the follower reuses: no string per
    /// line on a million-line <c>--once</c> run. The span is valid only until the next call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadLine(out long number, out ReadOnlySpan<char> text)
    {
        while (true)
        {
            if (TryTakeLineBytes(out ReadOnlySpan<byte> bytes))
            {
                number = _line;
                text = DecodeReused(bytes);
                return true;
            }

            if (_stream is null || !Fill())
            {
                number = 0;
                text = default;
                return false;
            }
        }
    }

    /// <summary>Returns the unterminated text at the end of the file as a line (at the end of <c>--once</c>, or before switching files).</summary>
    public bool TryTakePartial(out LogLine line)
    {
        if (_end == _start)
        {
            line = default;
            return false;
        }

        line = new LogLine(++_line, Decode(_buffer.AsSpan(_start, _end - _start)));
        _start = _end = 0;
        return true;
    }

    /// <summary>
    /// Call when <see cref="TryReadLine(out LogLine)"/> returned false: detects a file that appeared, was replaced or shrank.
    /// After a replacement the old file's unread lines (and its unterminated last line) come first, then
    /// <see cref="FileChange.Rotated"/> is returned and the new file's lines follow.
    /// </summary>
    public FileChange CheckForChanges()
    {
        if (_stream is null)
        {
            return TryOpen();
        }

        if (_draining)
        {
            return FinishDraining();
        }

        // Our own file shrank or was rewritten in place (copytruncate): restart it from its beginning.
        byte[] own = ReadPrefix(_stream);
        if (_stream.Length < _stream.Position || !SamePrefix(own, _fingerprint))
        {
            _stream.Position = 0;
            ResetReadState(ReadPrefix(_stream));
            return FileChange.Truncated;
        }

        if (!TryProbePath(out byte[] pathPrefix, out long pathLength))
        {
            return FileChange.None;
        }

        if (!SamePrefix(pathPrefix, _fingerprint) || pathLength < _stream.Position)
        {
            // Another file sits at the path now: finish the old one first (the writer may have appended before rotating).
            _draining = true;
            return _stream.Position < _stream.Length ? FileChange.None : FinishDraining();
        }

        if (own.Length > _fingerprint.Length)
        {
            _fingerprint = own;
        }

        return FileChange.None;
    }

    public void Dispose() => _stream?.Dispose();

    private FileChange FinishDraining()
    {
        if (_end > _start)
        {
            // The old file's unterminated last line is complete now that its writer moved on.
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length + 1);
            }

            _buffer[_end++] = (byte)'\n';
            return FileChange.None;
        }

        _draining = false;
        _stream!.Dispose();
        _stream = null;
        ResetReadState([]);
        return TryOpen() == FileChange.Opened ? FileChange.Rotated : FileChange.None;
    }

    private bool TryProbePath(out byte[] prefix, out long length)
    {
        prefix = [];
        length = 0;
        try
        {
            using var probe = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            prefix = ReadPrefix(probe);
            length = probe.Length;
            return true;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Renamed away and not recreated yet: keep the old file and look again later.
            return false;
        }
    }

    private void ResetReadState(byte[] fingerprint)
    {
        _start = _end = 0;
        _line = 0;
        _fingerprint = fingerprint;
    }

    private static bool SamePrefix(byte[] a, byte[] b)
    {
        int common = Math.Min(a.Length, b.Length);
        return a.AsSpan(0, common).SequenceEqual(b.AsSpan(0, common));
    }

    private bool TryTakeLine(out LogLine line)
    {
        if (!TryTakeLineBytes(out ReadOnlySpan<byte> bytes))
        {
            line = default;
            return false;
        }

        line = new LogLine(_line, Decode(bytes));
        return true;
    }

    /// <summary>Consumes the next complete line; its bytes stay valid until the buffer is next filled.</summary>
    private bool TryTakeLineBytes(out ReadOnlySpan<byte> bytes)
    {
        int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline < 0)
        {
            bytes = default;
            return false;
        }

        bytes = _buffer.AsSpan(_start, newline);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        _line++;
        _start += newline + 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<char> DecodeReused(ReadOnlySpan<byte> bytes)
    {
        // UTF-8 never decodes to more UTF-16 units than it has bytes.
        if (_chars.Length < bytes.Length)
        {
            _chars = new char[Math.Max(bytes.Length, _chars.Length * 2)];
        }

        int count = Encoding.UTF8.GetChars(bytes, _chars);
        return _chars.AsSpan(0, count);
    }

    private bool Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                // A line longer than the cap: hand it over in pieces rather than grow without bound.
                _buffer[_end - 1] = (byte)'\n';
                return true;
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = _stream!.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        return read > 0;
    }

    private void SkipTo(long offset)
    {
        // Count the lines being skipped so that line numbers stay those of the file.
        var chunk = new byte[1024 * 1024];
        long remaining = offset;
        _stream!.Position = 0;
        while (remaining > 0)
        {
            int read = _stream.Read(chunk, 0, (int)Math.Min(chunk.Length, remaining));
            if (read == 0)
            {
                break;
            }

            _line += chunk.AsSpan(0, read).Count((byte)'\n');
            remaining -= read;
        }

        // Start at a line boundary: drop the rest of the line the offset fell into.
        TryReadLine(out _);
    }

    private static byte[] ReadPrefix(FileStream stream)
    {
        var prefix = new byte[FingerprintBytes];
        long position = stream.Position;
        stream.Position = 0;
        int total = 0;
        int read;
        while (total < prefix.Length && (read = stream.Read(prefix, total, prefix.Length - total)) > 0)
        {
            total += read;
        }

        stream.Position = position;
        return prefix[..total];
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
