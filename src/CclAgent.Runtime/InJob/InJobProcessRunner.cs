using System.Globalization;
using System.Threading.Channels;
using CclAgent.Core.Failures;
using CclAgent.Core.Files;
using CclAgent.Nccl.Tuner;
using CclAgent.Runtime.Execution;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.InJob;

/// <summary>
/// <c>tune --in-job</c> with a real job: launches it once through its launcher with ccl-agent's tuner plugin loaded
/// (NCCL_TUNER_PLUGIN, a live NCCL_TUNER_CONFIG_FILE, a decision log), streams its iteration times, and measures each
/// step as a window: rewrite the table atomically, wait until every rank's plugin has loaded it (its decision log),
/// drop the iteration that straddled the switch, measure, then check the log against the table. A step that changes
/// NCCL's init-time environment, or follows a failure, restarts the job. The job is an owned resource: the inner
/// <see cref="ProcessJobRunner"/> kills its whole tree when the session ends.
/// </summary>
public sealed class InJobProcessRunner : IInJobRunner, IAsyncDisposable
{
    /// <summary>How often the plugin checks its file (CCL_TUNER_RELOAD_MS) and flushes its log, unless the workload sets them.</summary>
    public const int ReloadMilliseconds = 100;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly ProcessJobRunner _job;
    private readonly string _pluginPath;
    private readonly string _liveTable;
    private readonly DecisionLog _log;
    private readonly TimeSpan _windowTimeout;
    private readonly TimeProvider _time;
    private Session? _session;
    private int _launches;
    private int _windows;
    private bool _allVerified = true;

    /// <param name="job">Runs the job process; its step timeout bounds the whole job's life.</param>
    /// <param name="pluginPath">libnccl-tuner-ccl-agent.so.</param>
    /// <param name="folder">Where the live table and the decision logs live (the run directory's <c>injob/</c>).</param>
    /// <param name="windowTimeout">How long one window may wait for its iterations before the job counts as hung.</param>
    /// <param name="time">Clock for the waits (tests may fake it).</param>
    public InJobProcessRunner(ProcessJobRunner job, string pluginPath, string folder, TimeSpan windowTimeout, TimeProvider? time = null)
    {
        _job = job;
        _pluginPath = pluginPath;
        Directory.CreateDirectory(folder);
        _liveTable = Path.Combine(folder, "nccl_tuner.conf");
        _log = new DecisionLog(Path.Combine(folder, "decisions"));
        Directory.CreateDirectory(_log.Folder);
        _windowTimeout = windowTimeout;
        _time = time ?? TimeProvider.System;
    }

    public string Name => _job.Name;

    public string ToolName => _job.ToolName;

    public bool AppliesTunerConf => true;

    public InJobCounts Counts => new(_launches, _windows, _windows == 0 ? null : _allVerified);

    public async Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        JobResult result = await MeasureAsync(request, cancellationToken);
        if (result.EndedOnItsOwn)
        {
            // The job finished its own iterations mid-window: nothing about the table; start it again and measure there.
            result = await MeasureAsync(request, cancellationToken);
        }

        return result;
    }

    private async Task<JobResult> MeasureAsync(JobRequest request, CancellationToken cancellationToken)
    {
        (string text, string tableId) = await PutTableAsync(request);
        bool restart = await EnsureRunningAsync(request, cancellationToken);
        Session session = _session!;
        int dropped = restart ? request.WarmupIterations : 0;
        if (!restart)
        {
            _windows++;
            session.Discard();
            if (!await WaitForLoadAsync(session, tableId, cancellationToken))
            {
                return await FailedWindowAsync(session, $"the job's tuner plugin did not load table {tableId} within {_windowTimeout.TotalSeconds:0} s", restart);
            }

            // Iterations that arrived before every rank had the new table, and the one that straddled the switch.
            dropped = session.Discard() + InJobEnvironment.StraddlingIterations;
        }

        int measured = restart ? request.Iterations : request.WindowIterations ?? request.Iterations;
        (IReadOnlyList<double>? samples, string? problem) = await session.TakeAsync(dropped, measured, _windowTimeout, _time, cancellationToken);
        if (samples is null)
        {
            return await FailedWindowAsync(session, problem!, restart);
        }

        bool? verified = await VerifyAsync(text, tableId, cancellationToken);
        return new JobResult(JobStatus.Ok, samples) { Restarted = restart, DroppedIterations = dropped, DecisionsVerified = verified };
    }

    public async Task SettleAsync(JobRequest deliverable, CancellationToken cancellationToken)
    {
        (_, string tableId) = await PutTableAsync(deliverable);
        if (!await EnsureRunningAsync(deliverable, cancellationToken))
        {
            await WaitForLoadAsync(_session!, tableId, cancellationToken);
        }
    }

    public async Task WaitForEndAsync(CancellationToken cancellationToken)
    {
        if (_session is { } session)
        {
            try
            {
                await session.Job.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await StopAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Writes the step's table where the job's plugin reads it, atomically and named, so the log can say which table ran.</summary>
    private async Task<(string Text, string TableId)> PutTableAsync(JobRequest request)
    {
        string tableId = request.Kind is null ? "deliverable" : string.Create(CultureInfo.InvariantCulture, $"step_{request.Step}_{request.Kind.Value.ToString().ToLowerInvariant()}");
        string? file = request.Environment.LastOrDefault(v => v.Key == TunerConfFiles.Variable).Value;
        string rows = file is not null && File.Exists(file) ? await File.ReadAllTextAsync(file) : string.Empty;
        string text = $"# ccl-agent: table_id={tableId}\n{rows}";
        await AtomicFile.WriteAllTextAsync(_liveTable, text, CancellationToken.None);
        return (text, tableId);
    }

    /// <summary>Starts the job when none runs or its environment differs from the request's; true when it (re)started.</summary>
    private async Task<bool> EnsureRunningAsync(JobRequest request, CancellationToken cancellationToken)
    {
        string environment = InJobEnvironment.Key(request);
        if (_session is { Running: true } running && running.Environment == environment)
        {
            return false;
        }

        await StopAsync();
        _launches++;
        List<KeyValuePair<string, string>> variables = [.. request.Environment.Where(v => v.Key != TunerConfFiles.Variable)];
        variables.Add(new(TunerConfFiles.PluginVariable, _pluginPath));
        variables.Add(new(TunerConfFiles.Variable, _liveTable));
        variables.Add(new("CCL_TUNER_DECISIONS", _log.PathPattern));
        variables.Add(new("CCL_TUNER_RELOAD_MS", ReloadMilliseconds.ToString(CultureInfo.InvariantCulture)));
        variables.Add(new("CCL_TUNER_DECISIONS_FLUSH_MS", ReloadMilliseconds.ToString(CultureInfo.InvariantCulture)));
        _session = Session.Start(_job, request with { Environment = variables }, environment, cancellationToken);
        return true;
    }

    /// <summary>Waits until every rank that has loaded any table has loaded this one (or the job ends, or the window times out).</summary>
    private async Task<bool> WaitForLoadAsync(Session session, string tableId, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        while (_time.GetElapsedTime(start) < _windowTimeout && session.Running)
        {
            (IReadOnlySet<long> loaded, IReadOnlySet<long> all) = _log.Loads(tableId);
            if (loaded.Count > 0 && all.All(loaded.Contains))
            {
                return true;
            }

            await Task.Delay(Poll, _time, cancellationToken);
        }

        return false;
    }

    /// <summary>Checks the decision log against the table once every rank has flushed its calls under it; null when no log appeared at all.</summary>
    private async Task<bool?> VerifyAsync(string text, string tableId, CancellationToken cancellationToken)
    {
        TunerConfFile table = TunerConfParser.Parse(text);
        string? problem = "no decision log";
        long start = _time.GetTimestamp();
        while (_time.GetElapsedTime(start) < TimeSpan.FromMilliseconds(10 * ReloadMilliseconds))
        {
            problem = DecisionCheck.Problem(table, tableId, _log.Read());
            if (problem is null)
            {
                return true;
            }

            await Task.Delay(Poll, _time, cancellationToken);
        }

        _allVerified = false;
        return false;
    }

    private async Task<JobResult> FailedWindowAsync(Session session, string problem, bool restart)
    {
        // A window that cannot be measured leaves no job to trust: stop it; the next step starts a fresh one.
        bool ended = !session.Running;
        JobResult? ending = ended ? await session.Job : null;
        await StopAsync();
        if (ending is { IsOk: false } failed)
        {
            return failed with { Restarted = restart };
        }

        if (ending is { IsOk: true })
        {
            return new JobResult(JobStatus.Failed, [], FailureKind.Unknown, $"the job ended on its own (exit 0) before the window was measured: {problem}") { Restarted = restart, EndedOnItsOwn = true };
        }

        return ended
            ? new JobResult(JobStatus.Failed, [], FailureKind.Unknown, $"the job ended before the window was measured: {problem}") { Restarted = restart }
            : new JobResult(JobStatus.TimedOut, [], FailureKind.Timeout, problem) { Restarted = restart };
    }

    private async Task StopAsync()
    {
        if (_session is { } session)
        {
            _session = null;
            await session.StopAsync();
        }
    }

    /// <summary>One launch of the job: its process run in the background and the iteration times it has reported.</summary>
    private sealed class Session
    {
        private readonly Channel<double> _iterations = Channel.CreateUnbounded<double>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop;

        private Session(string environment, CancellationTokenSource stop)
        {
            Environment = environment;
            _stop = stop;
        }

        public string Environment { get; }

        public Task<JobResult> Job { get; private set; } = Task.FromResult(new JobResult(JobStatus.Failed, []));

        public bool Running => !Job.IsCompleted;

        public static Session Start(ProcessJobRunner runner, JobRequest request, string environment, CancellationToken cancellationToken)
        {
            var session = new Session(environment, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
            JobRequest whole = request with { Iterations = int.MaxValue, WarmupIterations = 0, OnIteration = ms => session._iterations.Writer.TryWrite(ms) };
            session.Job = Task.Run(() => runner.RunAsync(whole, session._stop.Token));
            return session;
        }

        /// <summary>Drops every iteration reported so far; returns how many.</summary>
        public int Discard()
        {
            int count = 0;
            while (_iterations.Reader.TryRead(out _))
            {
                count++;
            }

            return count;
        }

        /// <summary>Skips <paramref name="skip"/> iterations, then returns the next <paramref name="count"/>; null with a reason when the job ends or stalls first.</summary>
        public async Task<(IReadOnlyList<double>? Samples, string? Problem)> TakeAsync(int skip, int count, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            var samples = new List<double>(count);
            using var stalled = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stalled.Token);
            for (int seen = 0; samples.Count < count; seen++)
            {
                Task<bool> next = _iterations.Reader.WaitToReadAsync(linked.Token).AsTask();
                Task first = await Task.WhenAny(next, Job);
                if (first != next && !_iterations.Reader.TryPeek(out _))
                {
                    return (null, "the job ended before the window was measured");
                }

                try
                {
                    await next;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return (null, $"no iteration for {timeout.TotalSeconds:0} s: the job is stuck");
                }

                if (_iterations.Reader.TryRead(out double ms) && seen >= skip)
                {
                    samples.Add(ms);
                }
            }

            return (samples, null);
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await Job;
            }
            catch (OperationCanceledException)
            {
                // The runner kills the whole tree and reports the cancellation by throwing: the job is gone.
            }

            _stop.Dispose();
        }
    }
}
