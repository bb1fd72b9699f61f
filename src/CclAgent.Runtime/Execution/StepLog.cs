using System.Text;
using CclAgent.Core.Text;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// One of a step's log files (<c>step_&lt;k&gt;_stdout.log</c> / <c>_stderr.log</c>) and what was read into it. A job
/// is hostile input: a line is cut at <see cref="MaxLineBytes"/> (a 200 MB line without a newline once drove
/// the agent to 2.8 GB), and the file stops at <see cref="MaxLogBytes"/>, followed by one
/// "[truncated: N bytes dropped]" marker. Lines past the file cap are still parsed: metrics at the end of a
/// verbose job still count. The counts go to the step's command record (see docs/running-real-jobs.md).
/// </summary>
internal sealed class StepLog : IAsyncDisposable
{
    /// <summary>The longest line read from a job; the rest of a longer line is discarded and the line counted.</summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>The largest step log file; the rest of the output is parsed, not kept.</summary>
    public const long MaxLogBytes = 64L << 20;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly StreamWriter _writer;
    private readonly Func<string, string> _mask;
    private readonly long _maxBytes;

    /// <param name="path">The log file.</param>
    /// <param name="mask">Applied to each line before it is written (secrets); the parser still sees the raw line.</param>
    /// <param name="maxBytes">The file cap.</param>
    public StepLog(string path, Func<string, string> mask, long maxBytes = MaxLogBytes)
    {
        _writer = new StreamWriter(path, append: false, Utf8) { AutoFlush = true };
        _mask = mask;
        _maxBytes = maxBytes;
    }

    /// <summary>The options every job line is read with: capped, nothing filtered (the log keeps blank and binary lines).</summary>
    public static BoundedLineOptions LineOptions { get; } = new() { MaxLineLength = MaxLineBytes, LeaveOpen = true };

    public long BytesRead { get; private set; }

    public long Lines { get; private set; }

    public long LongLinesTruncated { get; private set; }

    public long LoggedBytes { get; private set; }

    public long DroppedBytes { get; private set; }

    /// <summary>Reads <paramref name="stream"/> to its end, line by line, into the log and <paramref name="onLine"/>.</summary>
    public async Task CopyAsync(Stream stream, Action<string> onLine)
    {
        using var reader = new BoundedLineReader(stream, LineOptions);
        long before = BytesRead;
        try
        {
            while (await reader.MoveNextAsync(CancellationToken.None))
            {
                string line = new(reader.Current);
                await WriteLineAsync(_mask(line));
                Lines++;
                if (reader.CurrentTruncated)
                {
                    LongLinesTruncated++;
                }

                BytesRead = before + reader.BytesRead;
                onLine(line);
            }
        }
        finally
        {
            BytesRead = before + reader.BytesRead;
        }
    }

    /// <summary>Writes the marker if anything was dropped, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (DroppedBytes > 0)
        {
            await _writer.WriteLineAsync($"[truncated: {DroppedBytes} bytes dropped]");
        }

        await _writer.DisposeAsync();
    }

    private async Task WriteLineAsync(string line)
    {
        long bytes = Utf8.GetByteCount(line) + 1;
        if (DroppedBytes > 0 || LoggedBytes + bytes > _maxBytes)
        {
            DroppedBytes += bytes;
            return;
        }

        await _writer.WriteLineAsync(line);
        LoggedBytes += bytes;
    }
}
