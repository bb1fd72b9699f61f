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
        while (true)
        {
            long read = ReadAvailable(follower, parser, engine, !options.Once, cancellationToken);
            if (options.Once)
            {
                if (follower.TryTakePartial(out LogLine last))
                {
                    Feed(parser, engine, last);
                }

                return;
            }

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

    private long ReadAvailable(LogFollower follower, LineParser parser, WatchEngine engine, bool following, CancellationToken cancellationToken)
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

            engine.MaybeStatus(following);
        }

        if (count > 0)
        {
            engine.OnActivity(follower.LastLineNumber);
        }

        return count;
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
