using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Tuning.Execution;

/// <summary>
/// Runs a training or generic workload as a real subprocess, one process per step. The process is an owned
/// resource: its whole tree is killed on timeout, on cancellation and if anything here throws, so a hung
/// collective never leaves orphans holding GPUs. Output is streamed to <c>steps/step_&lt;k&gt;_stdout.log</c> /
/// <c>_stderr.log</c> and parsed as it arrives (<see cref="JobOutputCollector"/>); the result is a value,
/// never an exception, except for the caller's own cancellation.
/// </summary>
public sealed class ProcessJobRunner : IJobRunner
{
    /// <summary>How long to wait for a killed process to be reaped and for its pipes to close.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    private readonly ProcessJobOptions _options;
    private readonly string _runDirectory;
    private readonly TimeProvider _timeProvider;
    private readonly Regex? _iterationRegex;

    /// <param name="options">What to launch and how to measure it.</param>
    /// <param name="runDirectory">The run directory; logs and command records go to its <c>steps/</c> folder.</param>
    /// <param name="timeProvider">Clock for the step timeout (tests may fake it).</param>
    public ProcessJobRunner(ProcessJobOptions options, string runDirectory, TimeProvider? timeProvider = null)
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
        _runDirectory = runDirectory;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _iterationRegex = options.CompileIterationRegex();
    }

    public string Name => "local";

    public async Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        string steps = Path.Combine(_runDirectory, "steps");
        Directory.CreateDirectory(steps);
        string prefix = Path.Combine(steps, $"step_{request.Step}");
        ProcessStartInfo info = StartInfo(request);
        CommandRecord.Write(prefix + "_command.json", request.Step, request.Kind, info, _options.StepTimeout);

        // Logs are opened before the start so that an I/O error cannot leave a running, unowned process.
        await using StreamWriter stdoutLog = OpenLog(prefix + "_stdout.log");
        await using StreamWriter stderrLog = OpenLog(prefix + "_stderr.log");
        var collector = new JobOutputCollector(_iterationRegex);
        var lastStderr = new LastLine();

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            return new JobResult(JobStatus.Failed, [], ExitClassification.StartFailed, $"Could not start \"{info.FileName}\": {ex.Message}");
        }

        bool finished = false;
        try
        {
            process.StandardInput.Close(); // the job gets EOF, never our terminal
            Task pumps = Task.WhenAll(
                PumpAsync(process.StandardOutput, stdoutLog, collector.AddStdoutLine),
                PumpAsync(process.StandardError, stderrLog, line => { collector.AddStderrLine(line); lastStderr.Set(line); }));

            using var timeout = new CancellationTokenSource(_options.StepTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            bool timedOut = false;
            try
            {
                await process.WaitForExitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                KillTree(process);
                await BoundedAsync(process.WaitForExitAsync(CancellationToken.None));
                finished = true;
                await BoundedAsync(pumps); // the logs keep what the job printed before it was killed
                cancellationToken.ThrowIfCancellationRequested();
                timedOut = true;
            }

            finished = true;
            if (!timedOut)
            {
                await BoundedAsync(pumps);
            }

            if (timedOut)
            {
                return new JobResult(JobStatus.TimedOut, [], ExitClassification.Timeout, $"Step {request.Step} ran past its {_options.StepTimeout.TotalSeconds:0.###} s timeout; its process tree was killed.");
            }

            return Classify(process.ExitCode, collector.Complete(request.WarmupIterations), lastStderr.Value);
        }
        finally
        {
            if (!finished)
            {
                KillTree(process); // an exception on our side must not leave the job running
            }
        }
    }

    private static JobResult Classify(int exitCode, JobOutputSummary summary, string? lastStderr)
    {
        // An NCCL error is the most specific explanation, and a configuration that makes NCCL warn is one to
        // avoid even when the job limps on to exit 0 (e.g. a transport silently falling back).
        if (summary.NcclErrorLine is { } ncclLine)
        {
            return new JobResult(JobStatus.Failed, [], ExitClassification.NcclError, ncclLine) { Metrics = summary.Metrics };
        }

        if (ExitClassification.ForExitCode(exitCode) is { } exitClass)
        {
            string detail = lastStderr is null ? string.Empty : $": {lastStderr}";
            return new JobResult(JobStatus.Failed, [], exitClass, $"The job exited with code {exitCode}{detail}") { Metrics = summary.Metrics };
        }

        if (summary.CorruptionLine is { } corruption)
        {
            return new JobResult(JobStatus.Failed, [], ExitClassification.ResultCorruption, corruption) { Metrics = summary.Metrics };
        }

        if (summary.IterationMs.Count == 0)
        {
            return new JobResult(JobStatus.NoMetrics, [], ExitClassification.NoMetrics, "The job exited 0 but printed no iteration times (CCL_METRICS lines, the iteration regex, or an nccl-tests table) after warm-up.") { Metrics = summary.Metrics };
        }

        return new JobResult(JobStatus.Ok, summary.IterationMs) { Metrics = summary.Metrics };
    }

    /// <summary>Inherited environment, then the workload's variables, then the compiled NCCL ones: later wins.</summary>
    private ProcessStartInfo StartInfo(JobRequest request)
    {
        var info = new ProcessStartInfo(_options.Command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = _options.WorkingDirectory ?? string.Empty,
        };
        foreach (string arg in _options.Command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in _options.Environment.Concat(request.Environment))
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static StreamWriter OpenLog(string path) =>
        new(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };

    /// <summary>Copies a stream to its log and the collector line by line, until EOF or until the process object is disposed.</summary>
    private static async Task PumpAsync(StreamReader reader, StreamWriter log, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                await log.WriteLineAsync(line);
                onLine(line);
            }
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
