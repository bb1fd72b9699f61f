using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CclAgent.Watch.Events;
using CclAgent.Watch.Following;
using CclAgent.Watch.Output;
using CclAgent.Watch.Parsing;
using CclAgent.Watch.Records;

namespace CclAgent.Watch;

/// <summary>
/// One <c>watch</c> run: follows the file, parses each line, feeds the engine, checks for stalls while idle, and
/// ends with the summary (at the end of <c>--once</c>, or when cancelled).
/// </summary>
public sealed class WatchSession(WatchSettings settings, TimeProvider time, IWatchEventSink sink)
{
    /// <summary>
    /// How many lines without a single metric line make a log "of unknown format". Long enough for the banners and
    /// argument dumps trainers print before their first step (Megatron's arguments alone are ~500 lines), short enough
    /// that a wrong file is reported within the first seconds.
    /// </summary>
    public const int FormatCheckLines = 2000;

    private const int CancellationCheckLines = 4096;
    private const int BatchSize = 512;
    private const int QueuedBatches = 16;
    private bool _formatReported;

    /// <summary>
    /// Raised once when the first <see cref="FormatCheckLines"/> lines (or, with <see cref="WatchRunOptions.Once"/>, a
    /// shorter whole file) held no line any parser recognised; the argument is the number of lines read.
    /// </summary>
    public event Action<long>? UnrecognisedFormat;

    /// <summary>Runs until the end of the file (<see cref="WatchRunOptions.Once"/>) or until cancelled; returns the summary.</summary>
    public async Task<WatchOutcome> RunAsync(string path, WatchRunOptions options, CancellationToken cancellationToken)
    {
        var gate = new GateSink(sink);
        var engine = new WatchEngine(settings, time, gate);
        var parser = new LineParser(settings.Format);
        bool replayHistory = !options.Once && !options.FromStart && File.Exists(path);
        using var follower = new LogFollower(path, replayHistory ? options.HistoryBytes : null);
        bool cancelled = false;
        try
        {
            if (follower.TryOpen() == FileChange.Opened)
            {
                engine.OnFileEvent("opened", path, follower.LastLineNumber);
            }
            else
            {
                engine.OnFileEvent("waiting", path, 0);
            }

            gate.Open = !replayHistory;
            await FollowAsync(follower, parser, engine, gate, options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }

        gate.Open = true;
        if (options.Once && !cancelled)
        {
            CheckFormat(parser.Stats, endOfInput: true);
        }

        return new WatchOutcome(engine.Finish(parser.Stats), cancelled);
    }

    private async Task FollowAsync(LogFollower follower, LineParser parser, WatchEngine engine, GateSink gate, WatchRunOptions options, CancellationToken cancellationToken)
    {
        if (options.Once)
        {
            await ReadToEndAsync(follower, parser, engine, cancellationToken);
            return;
        }

        while (true)
        {
            long read = ReadAvailable(follower, parser, engine, cancellationToken);
            if (!gate.Open)
            {
                // The replayed history is done: from here on everything is news; show where the run stands.
                gate.Open = true;
                engine.EmitStatus();
            }

            FileChange change = follower.CheckForChanges();
            if (change != FileChange.None)
            {
                engine.OnFileEvent(change.ToString().ToLowerInvariant(), follower.Path, follower.LastLineNumber);
                continue;
            }

            if (read == 0)
            {
                engine.OnIdle();
                await Task.Delay(options.PollInterval, time, cancellationToken);
            }
        }
    }

    private long ReadAvailable(LogFollower follower, LineParser parser, WatchEngine engine, CancellationToken cancellationToken)
    {
        long count = 0;
        while (follower.TryReadLine(out LogLine line))
        {
            Feed(parser, engine, line);
            if (!_formatReported && parser.Stats.Lines == FormatCheckLines)
            {
                CheckFormat(parser.Stats, endOfInput: false);
            }

            if (++count % CancellationCheckLines == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            engine.MaybeStatus(following: true);
        }

        if (count > 0)
        {
            engine.OnActivity(follower.LastLineNumber);
        }

        return count;
    }

    /// <summary>
    /// <c>--once</c>: reading and parsing run on one thread, the engine on this one, with a bounded queue of parsed records
    /// between them (on a million-line log each half costs about the same, so the two cores halve the time). Records
    /// reach the engine in line order, exactly as when one thread does both.
    /// </summary>
    private async Task ReadToEndAsync(LogFollower follower, LineParser parser, WatchEngine engine, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<ArraySegment<MetricRecord>>(new BoundedChannelOptions(QueuedBatches) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<long> producer = Task.Run(() => ParseAll(follower, parser, queue.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (ArraySegment<MetricRecord> batch in queue.Reader.ReadAllAsync(cancellationToken))
            {
                Consume(engine, batch);
            }

            long completeLines = await producer;
            if (follower.LastLineNumber > 0)
            {
                engine.OnActivity(completeLines);
            }
        }
        finally
        {
            // The parser's counters are read by the summary: the producer must have stopped before anyone reads them.
            await stop.CancelAsync();
            await producer.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    // Fully optimised from the first call: the loop runs once for the whole file, so tiered compilation would leave it in
    // its unoptimised or on-stack-replaced form for most of the run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Consume(WatchEngine engine, ArraySegment<MetricRecord> batch)
    {
        foreach (MetricRecord record in batch)
        {
            engine.OnRecord(record);
            engine.MaybeStatus(following: false);
        }
    }

    /// <summary>Reads and parses every line (and the unterminated last one); returns the number of complete lines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long ParseAll(LogFollower follower, LineParser parser, ChannelWriter<ArraySegment<MetricRecord>> queue, CancellationToken cancellationToken)
    {
        var batch = new MetricRecord[BatchSize];
        int count = 0;
        long complete = 0;
        try
        {
            // Lines are read from the follower's reused buffer: no string per line.
            while (follower.TryReadLine(out long number, out ReadOnlySpan<char> text))
            {
                complete = number;
                if (number % CancellationCheckLines == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Collect(parser.Parse(text, number), parser, queue, ref batch, ref count, cancellationToken);
            }

            if (follower.TryTakePartial(out LogLine last))
            {
                Collect(parser.Parse(last.Text, last.Number), parser, queue, ref batch, ref count, cancellationToken);
            }

            Publish(queue, batch, count, cancellationToken);
            return complete;
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private void Collect(MetricRecord? parsed, LineParser parser, ChannelWriter<ArraySegment<MetricRecord>> queue, ref MetricRecord[] batch, ref int count, CancellationToken cancellationToken)
    {
        if (parsed is MetricRecord record)
        {
            batch[count++] = record;
        }

        if (!_formatReported && parser.Stats.Lines == FormatCheckLines)
        {
            CheckFormat(parser.Stats, endOfInput: false);
        }

        if (count == BatchSize)
        {
            Publish(queue, batch, count, cancellationToken);
            batch = new MetricRecord[BatchSize];
            count = 0;
        }
    }

    private static void Publish(ChannelWriter<ArraySegment<MetricRecord>> queue, MetricRecord[] batch, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        var segment = new ArraySegment<MetricRecord>(batch, 0, count);
        if (!queue.TryWrite(segment))
        {
            // The engine is behind: wait for room (bounded, so a fast reader cannot fill memory).
            queue.WriteAsync(segment, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
    }

    private void CheckFormat(ParseStats stats, bool endOfInput)
    {
        // At the end of a short file the whole file is the sample; otherwise only the first FormatCheckLines lines.
        bool sampled = stats.Lines >= FormatCheckLines || endOfInput;
        if (_formatReported || !sampled || stats.Records > 0)
        {
            _formatReported |= sampled;
            return;
        }

        _formatReported = true;
        UnrecognisedFormat?.Invoke(Math.Min(stats.Lines, FormatCheckLines));
    }

    private static void Feed(LineParser parser, WatchEngine engine, LogLine line)
    {
        if (parser.Parse(line.Text, line.Number) is MetricRecord record)
        {
            engine.OnRecord(record);
        }
    }
}
