using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CclAgent.Core.Failures;
using CclAgent.Core.Secrets;
using CclAgent.Runtime.Execution.Launchers;
using CclAgent.Tuning.Jobs;

using CclAgent.Nccl.Tuner;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// Runs a training or generic workload as a real subprocess, one process per step. The process is an owned
/// resource: its whole tree is killed on timeout, on cancellation and if anything here throws, so a hung
/// collective never leaves orphans holding GPUs. Output is streamed to <c>steps/step_&lt;k&gt;_stdout.log</c> /
/// <c>_stderr.log</c> and parsed as it arrives (<see cref="JobOutputCollector"/>); the result is a value,
/// never an exception, except for the caller's own cancellation. What is written down (logs, failure messages) is
/// masked (<see cref="SecretRedactor"/>, plus the values of the job's secret-named variables, which a job may echo);
/// the collector parses the raw line.
/// </summary>
public sealed class ProcessJobRunner : IJobRunner
{
    /// <summary>Set for every step, so a job's own logs can say which step they belong to.</summary>
    public const string StepVariable = "CCL_AGENT_STEP";

    /// <summary>
    /// Unique per run and step (<c>&lt;run id&gt;/step_&lt;k&gt;</c>): the marker by which a step's strays are found in /proc at
    /// its end, whatever session or parent they ended up with. <see cref="StepVariable"/> stays the bare step number jobs read.
    /// </summary>
    public const string StepIdVariable = "CCL_AGENT_STEP_ID";

    /// <summary>How long to wait for a killed process to be reaped and for its pipes to close.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    /// <summary>How long a scheduler clean-up (scancel) may take.</summary>
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for killed strays to become zombies we can reap.</summary>
    private static readonly TimeSpan ReapLimit = TimeSpan.FromSeconds(2);

    private readonly ProcessJobOptions _options;
    private readonly string _logDirectory;
    private readonly string _filePrefix;
    private readonly string _runId;
    private readonly TimeProvider _timeProvider;
    private readonly Regex? _iterationRegex;

    /// <param name="options">What to launch and how to measure it.</param>
    /// <param name="runDirectory">The run directory; logs and command records go to its <c>steps/</c> folder.</param>
    /// <param name="timeProvider">Clock for the step timeout (tests may fake it).</param>
    /// <param name="logFolder">Folder of the run directory for logs and records (the microbenchmark uses its own).</param>
    /// <param name="filePrefix">File name prefix: <c>step</c> gives <c>step_3_stdout.log</c>.</param>
    public ProcessJobRunner(ProcessJobOptions options, string runDirectory, TimeProvider? timeProvider = null, string logFolder = "steps", string filePrefix = "step")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        if (options.Command.Count == 0 || string.IsNullOrEmpty(options.Command[0]))
        {
            throw new ArgumentException("The workload command is empty; give the program and its arguments as a list, e.g. [\"python3\", \"train.py\"].", nameof(options));
        }

        if (options.StepTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"The step timeout must be positive (got {options.StepTimeout}).", nameof(options));
        }

        _options = options;
        _logDirectory = Path.Combine(runDirectory, logFolder);
        _filePrefix = filePrefix;
        _runId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory)));

        // Orphans of a step's jobs re-parent to us instead of init, so they can still be reaped once killed.
        Subreaper.Enable();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _iterationRegex = options.CompileIterationRegex();
    }

    public string Name => _options.Launcher.Name;

    public string ToolName => "runner";

    /// <summary>Only when the job loads a tuner plugin (NCCL_TUNER_PLUGIN in its environment or ccl-agent's own).</summary>
    public bool AppliesTunerConf =>
        _options.Environment.Concat(_options.Overrides).Any(v => v.Key == TunerConfFiles.PluginVariable && v.Value is not ("" or "none"))
        || System.Environment.GetEnvironmentVariable(TunerConfFiles.PluginVariable) is { Length: > 0 } inherited && inherited != "none";

    public async Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        Directory.CreateDirectory(_logDirectory);
        string prefix = Path.Combine(_logDirectory, $"{_filePrefix}_{request.Step}");
        string marker = $"{_runId}/{_filePrefix}_{request.Step}";
        List<KeyValuePair<string, string>> environment = [.. _options.Environment, .. request.Environment, new(StepVariable, request.Step.ToString(System.Globalization.CultureInfo.InvariantCulture)), .. _options.Overrides, new(StepIdVariable, marker)];
        string[] exported = [.. environment.Select(v => v.Key).Distinct(StringComparer.Ordinal)];
        LaunchPlan plan = _options.Launcher.Plan(new LaunchRequest(_options.Command, exported, $"{_options.JobName}-{_filePrefix}{request.Step}", prefix));
        foreach ((string path, string content) in plan.Files)
        {
            WriteExecutable(path, content);
        }

        ProcessStartInfo info = StartInfo(plan.Argv, environment);
        Func<string, string> mask = Masker(info);
        CommandRecord.Write(prefix + "_command.json", request.Step, request.Kind, _options.Launcher.Name, info, _options.StepTimeout);

        // Logs are opened before the start so that an I/O error cannot leave a running, unowned process.
        await using var stdoutLog = new StepLog(prefix + "_stdout.log", mask);
        await using var stderrLog = new StepLog(prefix + "_stderr.log", mask);
        var collector = new JobOutputCollector(_iterationRegex) { IterationObserved = request.OnIteration };
        var lastStderr = new LastLine();

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new JobResult(JobStatus.Failed, [], FailureKind.StartFailed, $"Could not start \"{info.FileName}\": {ex.Message}");
        }

        bool finished = false;
        try
        {
            process.StandardInput.Close(); // the job gets EOF, never our terminal
            // The raw pipes, not the StreamReaders: ReadLine would buffer a line of any length in memory.
            Task pumps = Task.WhenAll(
                PumpAsync(process.StandardOutput.BaseStream, stdoutLog, collector.AddStdoutLine),
                PumpAsync(process.StandardError.BaseStream, stderrLog, line => { collector.AddStderrLine(line); lastStderr.Set(line); }));

            using var timeout = new CancellationTokenSource(_options.StepTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            bool timedOut = false;
            try
            {
                await process.WaitForExitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                await StopAsync(process, plan, marker);
                finished = true;
                await BoundedAsync(pumps); // the logs keep what the job printed before it was killed
                await CopySchedulerOutputAsync(plan, stdoutLog, stderrLog, collector, lastStderr);
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
            }

            finished = true;
            if (!timedOut)
            {
                // A job that exited cleanly may still have left descendants (a daemon in its own session holding our pipes).
                await KillStraysAsync(marker, process.Id);
                await DrainAfterExitAsync(pumps, marker, process.Id);
                await CopySchedulerOutputAsync(plan, stdoutLog, stderrLog, collector, lastStderr);
            }

            CommandRecord.Write(prefix + "_command.json", request.Step, request.Kind, _options.Launcher.Name, info, _options.StepTimeout, stdoutLog, stderrLog);
            if (timedOut)
            {
                return new JobResult(JobStatus.TimedOut, [], FailureKind.Timeout, $"Step {request.Step} ran past its {_options.StepTimeout.TotalSeconds:0.###} s timeout; its process tree was killed.");
            }

            return Classify(process.ExitCode, collector.Complete(request.WarmupIterations), lastStderr.Value, mask);
        }
        finally
        {
            if (!finished)
            {
                KillTree(process); // an exception on our side must not leave the job running
                ProcessTree.KillAll(Strays(marker, process));
                RunCleanup(plan);
            }
        }
    }

    private static JobResult Classify(int exitCode, JobOutputSummary summary, string? lastStderr, Func<string, string> mask)
    {
        // An NCCL error is the most specific explanation, and a configuration that makes NCCL warn is one to
        // avoid even when the job limps on to exit 0 (e.g. a transport silently falling back).
        if (summary.NcclErrorLine is { } ncclLine)
        {
            return new JobResult(JobStatus.Failed, [], FailureKind.NcclError, mask(ncclLine)) { Metrics = summary.Metrics };
        }

        if (FailureClass.ForExitCode(exitCode) is { } exitClass)
        {
            string detail = lastStderr is null ? string.Empty : $": {mask(lastStderr)}";
            return new JobResult(JobStatus.Failed, [], exitClass, $"The job exited with code {exitCode}{detail}") { Metrics = summary.Metrics };
        }

        if (summary.CorruptionLine is { } corruption)
        {
            return new JobResult(JobStatus.Failed, [], FailureKind.ResultCorruption, mask(corruption)) { Metrics = summary.Metrics };
        }

        // Before "no metrics": a job that printed only impossible times did print something, and must be told so.
        if (summary.ImplausibleLine is { } implausible)
        {
            return new JobResult(JobStatus.Failed, [], FailureKind.ImplausibleMetrics, implausible) { Metrics = summary.Metrics };
        }

        if (summary.IterationMs.Count == 0)
        {
            return new JobResult(JobStatus.NoMetrics, [], FailureKind.NoMetrics, "The job exited 0 but printed no iteration times (CCL_METRICS lines, the iteration regex, or an nccl-tests table) after warm-up.") { Metrics = summary.Metrics };
        }

        return new JobResult(JobStatus.Ok, summary.IterationMs) { Metrics = summary.Metrics };
    }

    /// <summary>
    /// Masks a line before it is written down: secret shapes, and the values of the job's secret-named variables
    /// (inherited or set here), which have no shape of their own when a job prints them bare.
    /// </summary>
    private static Func<string, string> Masker(ProcessStartInfo info)
    {
        // Very short values ("1", "yes") would mask half the log and protect nothing.
        string[] known = [.. info.Environment
            .Where(v => SecretRedactor.IsSecretName(v.Key) && v.Value is { Length: >= 4 })
            .Select(v => v.Value!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length)];
        return line => SecretRedactor.Redact(line, known);
    }

    /// <summary>The inherited environment with <paramref name="environment"/> applied in order (workload, NCCL, step, overrides: later wins).</summary>
    private ProcessStartInfo StartInfo(IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = _options.WorkingDirectory ?? string.Empty,
        };
        foreach (string arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static void WriteExecutable(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>A scheduler (sbatch) wrote the job's output to files, not to our pipes: log and parse them now.</summary>
    private static async Task CopySchedulerOutputAsync(LaunchPlan plan, StepLog stdoutLog, StepLog stderrLog, JobOutputCollector collector, LastLine lastStderr)
    {
        await CopyFileAsync(plan.OutputFile, stdoutLog, collector.AddStdoutLine);
        await CopyFileAsync(plan.ErrorFile, stderrLog, line => { collector.AddStderrLine(line); lastStderr.Set(line); });
    }

    private static async Task CopyFileAsync(string? path, StepLog log, Action<string> onLine)
    {
        if (path is null || !File.Exists(path))
        {
            return;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        await log.CopyAsync(stream, onLine);
    }

    /// <summary>
    /// SIGTERM first, so a launcher can stop ranks it started elsewhere (srun cancels its step, mpirun its
    /// daemons); then SIGKILL for the whole tree as it was before the SIGTERM (a child re-parented to init
    /// when its parent exited is still killed); then the scheduler clean-up for ranks outside our tree.
    /// </summary>
    private async Task StopAsync(Process process, LaunchPlan plan, string marker)
    {
        IReadOnlyList<int> tree = ProcessTree.Descendants(process.Id);
        if (plan.TerminateGrace > TimeSpan.Zero && PosixSignals.Terminate(process.Id))
        {
            try
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(plan.TerminateGrace, _timeProvider);
            }
            catch (TimeoutException)
            {
                // It did not stop in time: killed below.
            }
        }

        KillTree(process);
        ProcessTree.KillAll(tree);
        await BoundedAsync(process.WaitForExitAsync(CancellationToken.None));
        await KillStraysAsync(marker, process.Id);
        RunCleanup(plan);
    }

    /// <summary>
    /// Kills every process still carrying this step's marker (the tree snapshot misses those that left it: a new session
    /// whose parent exited) and reaps those re-parented to us, so none outlives the step, not even as a zombie.
    /// </summary>
    private const int StrayScanPasses = 8;

    private static readonly TimeSpan StrayRescanDelay = TimeSpan.FromMilliseconds(50);

    private static async Task KillStraysAsync(string marker, int mainProcessId)
    {
        // Scan until two passes in a row, a moment apart, find none: a process in the middle of execve has no readable
        // environment for an instant, and one caught between fork and exit can leave a child the last scan missed.
        int quiet = 0;
        for (int pass = 0; pass < StrayScanPasses && quiet < 2; pass++)
        {
            List<int> strays = [.. ProcessTree.WithEnvironment(StepIdVariable, marker).Where(pid => pid != mainProcessId)];
            if (strays.Count == 0 && ProcessTree.ChildrenWithoutEnvironment(Environment.ProcessId).Count > 0)
            {
                quiet = 0; // an adopted orphan in the middle of execve: its marker shows again in a moment
                await Task.Delay(StrayRescanDelay);
                continue;
            }

            if (strays.Count == 0)
            {
                quiet++;
                await Task.Delay(StrayRescanDelay);
                continue;
            }

            quiet = 0;
            ProcessTree.KillAll(strays);
            await Subreaper.ReapAsync(strays, ReapLimit);
        }
    }

    private static readonly TimeSpan PipeRescanInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits for the job's pipes to close. While a descendant still holds them, the marker scan has missed it (caught
    /// in execve on a loaded machine, when /proc shows it no environment): scan again rather than wait out the limit.
    /// </summary>
    private static async Task DrainAfterExitAsync(Task pumps, string marker, int mainProcessId)
    {
        // The real clock, as in the reap: this waits on the kernel, not on the job's (possibly faked) time.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < DrainLimit)
        {
            try
            {
                await pumps.WaitAsync(PipeRescanInterval);
                return;
            }
            catch (TimeoutException)
            {
                await KillStraysAsync(marker, mainProcessId);
            }
        }
    }

    private static IReadOnlyList<int> Strays(string marker, Process process)
    {
        int main = -1;
        try
        {
            main = process.Id;
        }
        catch (InvalidOperationException)
        {
            // Never started: every marked process is a stray.
        }

        return [.. ProcessTree.WithEnvironment(StepIdVariable, marker).Where(pid => pid != main)];
    }

    /// <summary>Best effort and bounded: a failing scancel must not fail the step twice.</summary>
    private static void RunCleanup(LaunchPlan plan)
    {
        if (plan.Cleanup is not { Count: > 0 } cleanup)
        {
            return;
        }

        try
        {
            var info = new ProcessStartInfo(cleanup[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in cleanup.Skip(1))
            {
                info.ArgumentList.Add(arg);
            }

            using Process? process = Process.Start(info);
            if (process is not null && !process.WaitForExit(CleanupLimit))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            // No scancel here (not a Slurm host): nothing more we can do.
        }
    }

    /// <summary>Copies a stream to its log and the collector line by line, until EOF or until the process object is disposed.</summary>
    private static async Task PumpAsync(Stream pipe, StepLog log, Action<string> onLine)
    {
        try
        {
            await log.CopyAsync(pipe, onLine);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            // Abandoned after DrainLimit (a grandchild that escaped the tree still holds the pipe): stop quietly.
        }
    }

    private async Task BoundedAsync(Task task)
    {
        try
        {
            await task.WaitAsync(DrainLimit, _timeProvider);
        }
        catch (TimeoutException)
        {
            // Give up waiting rather than hang the tuner; the step's result does not depend on the tail.
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited (or never started): nothing to kill.
        }
        catch (Win32Exception)
        {
            // A descendant exited between enumeration and the signal; the rest were still signalled.
        }
    }

    /// <summary>The last non-empty stderr line, for a failure message that says something.</summary>
    private sealed class LastLine
    {
        private volatile string? _value;

        public string? Value => _value;

        public void Set(string line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                _value = line.Length > 500 ? line[..500] : line;
            }
        }
    }
}
