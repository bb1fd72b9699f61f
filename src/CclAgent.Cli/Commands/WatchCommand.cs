using System.CommandLine;
using System.Globalization;
using CclAgent.Core.Files;
using CclAgent.Watch;
using CclAgent.Watch.Events;
using CclAgent.Watch.Following;
using CclAgent.Watch.Notify;
using CclAgent.Watch.Output;
using CclAgent.Watch.Parsing;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent watch`: follows a training log and explains it in phases, alerts, ETA and early-stop advice.</summary>
internal sealed class WatchCommand : Command
{
    private static readonly TimeSpan AlertCooldown = TimeSpan.FromMinutes(5);

    private readonly Option<string?> _log = new("--log") { Description = "The training log to read (it may not exist yet)." };
    private readonly Option<string?> _auto = new("--auto") { Description = "Watch the most recently written training log under this directory." };
    private readonly Option<bool> _fromStart = new("--from-start") { Description = "While following, report from the beginning of the file (default: replay its end silently to learn the state, then report new lines)." };
    private readonly Option<bool> _once = new("--once") { Description = "Read the whole file, print the summary and exit (CI, post-mortems)." };
    private readonly Option<string> _format = new("--format") { Description = "Log format: auto (default), mmengine, mmcv, hf, detectron2, jsonl, kv, nanogpt, llmc, megatron, deepspeed, fairseq, torchtitan, lightning, llamafactory, olmo.", DefaultValueFactory = _ => "auto" };
    private readonly Option<bool> _json = new("--json") { Description = "One JSON event per line on stdout (phase_change, alert, status, advice, log, summary)." };
    private readonly Option<int> _gpus = new("--gpus") { Description = "GPUs the job uses, for the GPU-hours in early-stop advice (default 1).", DefaultValueFactory = _ => 1 };
    private readonly Option<string[]> _notify = new("--notify") { Description = "Post alerts to webhook:URL or telegram (token and chat id from CCL_AGENT_TELEGRAM_TOKEN / CCL_AGENT_TELEGRAM_CHAT_ID). Repeatable." };
    private readonly Option<string?> _metric = new("--metric") { Description = "Evaluation metric to track (default: the first higher-is-better metric, else the eval loss)." };
    private readonly Option<double> _minDelta = new("--min-delta") { Description = "Relative improvement that counts as better, for early-stop advice (default 0.01).", DefaultValueFactory = _ => 0.01 };
    private readonly Option<double?> _gpuMemoryGb = new("--gpu-memory-gb") { Description = "GPU memory per device in GB, to estimate the distance to OOM when memory grows." };

    private readonly TimeProvider _time;

    public WatchCommand(TimeProvider time)
        : base("watch", "Follow a training log and explain it: phases, alerts, ETA, early-stop advice.")
    {
        _time = time;
        _format.AcceptOnlyFromAmong([.. LogFormats.All]);
        foreach (Option option in new Option[] { _log, _auto, _fromStart, _once, _format, _json, _gpus, _notify, _metric, _minDelta, _gpuMemoryGb })
        {
            Options.Add(option);
        }

        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;
        string? log = parse.GetValue(_log);
        string? auto = parse.GetValue(_auto);
        if ((log is null) == (auto is null))
        {
            await error.WriteLineAsync("error: give exactly one of --log FILE or --auto DIR");
            return ExitCodes.UsageError;
        }

        // Range checks here rather than as parser validators: an out-of-range value is invalid input (exit 2) like
        // every other verb's, where a parse error is a usage error (exit 1).
        if (RangeProblem(parse) is string range)
        {
            await error.WriteLineAsync($"error: {range}");
            return ExitCodes.InvalidInput;
        }

        bool once = parse.GetValue(_once);
        string? path = log ?? await LocateAsync(auto!, once, error, cancellationToken);
        if (path is null)
        {
            return cancellationToken.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.InvalidInput;
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        List<INotificationChannel> channels = [];
        foreach (string spec in parse.GetValue(_notify) ?? [])
        {
            (INotificationChannel? channel, string? problem) = NotifyTargets.Parse(spec, http, Environment.GetEnvironmentVariable);
            if (channel is null)
            {
                await error.WriteLineAsync($"error: {problem}");
                return ExitCodes.InvalidInput;
            }

            channels.Add(channel);
        }

        // A log that does not exist yet may still appear (watch waits for it); one that is a device or a FIFO never ends.
        if (InputFile.Check(path, "a training log file") is string refused)
        {
            await error.WriteLineAsync($"error: {(log is null ? "--auto" : "--log")}: {path} {refused}");
            return ExitCodes.InvalidInput;
        }

        if (once && !File.Exists(path))
        {
            await error.WriteLineAsync($"error: --log: {path} does not exist (without --once, watch waits for it to appear)");
            return ExitCodes.InvalidInput;
        }

        return await RunAsync(parse, path, once, channels, output, error, cancellationToken);
    }

    /// <summary>Written so that NaN fails every check: it compares false with any bound.</summary>
    private string? RangeProblem(ParseResult parse)
    {
        int gpus = parse.GetValue(_gpus);
        double minDelta = parse.GetValue(_minDelta);
        double? memory = parse.GetValue(_gpuMemoryGb);
        if (gpus is < 1 or > 1_000_000)
        {
            return string.Create(CultureInfo.InvariantCulture, $"--gpus: {gpus} is out of range; expected an integer in [1, 1000000]");
        }

        if (!(minDelta is > 0 and < 1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"--min-delta: {minDelta} is out of range; expected a fraction in (0, 1), e.g. 0.01 for 1%");
        }

        return memory is { } gb && !(gb > 0 && double.IsFinite(gb))
            ? string.Create(CultureInfo.InvariantCulture, $"--gpu-memory-gb: {gb} is out of range; expected a positive number of GB")
            : null;
    }

    private async Task<int> RunAsync(ParseResult parse, string path, bool once, List<INotificationChannel> channels, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var settings = new WatchSettings
        {
            Format = LogFormats.Parse(parse.GetValue(_format)!),
            Gpus = parse.GetValue(_gpus),
            Metric = parse.GetValue(_metric),
            MinDelta = parse.GetValue(_minDelta),
            GpuMemoryGb = parse.GetValue(_gpuMemoryGb),
        };
        List<IWatchEventSink> sinks = [parse.GetValue(_json) ? new JsonLinesSink(output) : new ConsoleSink(output, _time, AlertCooldown, settings.StatusInterval)];
        await using Notifier? notifier = channels.Count == 0 ? null : new Notifier(channels, new NotificationOptions(), _time, message => error.WriteLine(message));
        if (notifier is not null)
        {
            sinks.Add(new NotifySink(notifier, Path.GetFileName(path)));
        }

        var session = new WatchSession(settings, _time, new CompositeSink(sinks));
        session.UnrecognisedFormat += lines => error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"watch: format: unknown, 0 metric lines in {lines} (file {path})"));
        WatchOutcome outcome = await session.RunAsync(path, new WatchRunOptions { Once = once, FromStart = parse.GetValue(_fromStart) }, cancellationToken);
        if (notifier is not null)
        {
            await notifier.DrainAsync();
            if (notifier.Failed + notifier.Dropped > 0)
            {
                await error.WriteLineAsync($"warning: notifications: {notifier.Sent} delivered, {notifier.Failed} failed, {notifier.Dropped} dropped");
            }
        }

        if (outcome.Cancelled)
        {
            return ExitCodes.Cancelled;
        }

        // Under --once the whole file was read: no recognised line at all is an answer CI must not mistake for success.
        return once && outcome.Summary.Records == 0 ? ExitCodes.UnrecognisedInput : ExitCodes.Success;
    }

    private async Task<string?> LocateAsync(string directory, bool once, TextWriter error, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            await error.WriteLineAsync($"error: --auto: directory {directory} does not exist");
            return null;
        }

        bool announced = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (LogLocator.FindNewest(directory) is string found)
            {
                await error.WriteLineAsync($"watching {found}");
                return found;
            }

            if (once)
            {
                await error.WriteLineAsync($"error: --auto: no training log (*.log, *.out, *.txt, *.jsonl, scalars.json, metrics.json) under {directory}");
                return null;
            }

            if (!announced)
            {
                await error.WriteLineAsync($"waiting for a training log under {directory}");
                announced = true;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }
}
