using System.CommandLine;
using CclAgent.Cli.Configuration;
using CclAgent.Cli.Console;
using CclAgent.Cli.Logging;
using CclAgent.Cli.Runs;
using CclAgent.Core.Files;
using CclAgent.Core.Json;
using CclAgent.Core.Runs;
using CclAgent.Core.Secrets;
using CclAgent.Core.Tracing;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Knowledge;
using CclAgent.Memory;
using CclAgent.Nccl.Compilation;
using CclAgent.Runtime;
using CclAgent.Simulation;
using CclAgent.Tuning;
using CclAgent.Tuning.Progress;
using CclAgent.Tuning.Resuming;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Compact;

namespace CclAgent.Cli.Commands;

/// <summary>`ccl-agent tune`: find faster NCCL settings for a workload (dry-run on the simulator, or a real job).</summary>
internal sealed class TuneCommand : Command
{
    private readonly Option<FileInfo> _workload = new("--workload", "-w") { Description = "Workload spec (JSON): cluster, per-iteration collectives, tuning settings. See docs/configuration.md.", Required = true };
    private readonly Option<FileInfo?> _config = new("--config") { Description = "Agent config file (JSON) with defaults for these options." };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Simulate both the microbenchmark and the job on the built-in cluster simulator." };
    private readonly Option<bool> _simulateWorkload = new("--simulate-workload") { Description = "Run the real microbenchmark (nccl-tests) but simulate the training job." };
    private readonly Option<string?> _provider = new("--provider") { Description = "LLM provider for advice: ollama (default; http://localhost:11434), openai (any OpenAI-compatible server; key from OPENAI_API_KEY or CCL_AGENT_API_KEY), anthropic (Messages API; key from ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY, server ANTHROPIC_BASE_URL or MINIMAX_BASE_URL), none. Numbers decide; a model only proposes. Env: CCL_AGENT_PROVIDER." };
    private readonly Option<string?> _model = new("--model") { Description = "LLM model name (default llama3.1 for ollama, gpt-4o-mini for openai). Env: CCL_AGENT_MODEL." };
    private readonly Option<string?> _llmEndpoint = new("--llm-endpoint") { Description = "Model server URL (ollama: http://host:11434; openai: https://host/v1). Env: CCL_AGENT_LLM_ENDPOINT." };
    private readonly Option<double?> _llmTimeout = new("--llm-timeout") { Description = "Seconds one model request may take before it is abandoned (default 60).", CustomParser = NumberParsers.Number };
    private readonly Option<int?> _llmEvery = new("--llm-every") { Description = "Ask the model for new hypotheses after every N online steps (default 4).", CustomParser = NumberParsers.Integer };
    private readonly Option<string[]> _knowledge = new("--knowledge") { Description = "Directory of your own Markdown/text notes to index with the shipped knowledge (repeatable).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _artifactsRoot = new("--artifacts-root") { Description = "Where run directories are created (default: artifacts/)." };
    private readonly Option<string?> _memory = new("--memory") { Description = "SQLite memory database shared across runs (default: memory/ccl-agent.db)." };
    private readonly Option<int?> _seed = new("--seed") { Description = "Seed for the simulator's noise and every random choice (default 1).", CustomParser = NumberParsers.Integer };
    private readonly Option<int?> _maxSteps = new("--max-steps") { Description = "Online trial budget, 1-1000 (default: the workload's tuning.budget, else 24).", CustomParser = NumberParsers.Integer };
    private readonly Option<string[]> _env = new("--env") { Description = "NAME=VALUE for the real job and the microbenchmark, applied after the workload's env and the step's NCCL settings (repeatable).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<bool> _inJob = new("--in-job") { Description = "Tune inside one running job through ccl-agent's NCCL tuner plugin: per-collective algorithm, protocol and channels change without a restart; init-time knobs only by a restart worth its cost. See docs/tuner-plugin.md." };
    private readonly Option<string?> _tunerPlugin = new("--tuner-plugin") { Description = "Path of libnccl-tuner-ccl-agent.so for --in-job with a real job (default: CCL_AGENT_TUNER_PLUGIN, then native/nccl-tuner/build/ under the working directory or next to ccl-agent)." };
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue an interrupted run (killed, preempted, lost with its node) in its run directory RUN_DIR: its recorded steps are replayed from their records, not run again, then the remaining budget runs. Give the same workload, mode and seed. See docs/running-real-jobs.md." };
    private readonly Option<double?> _waitLock = new("--wait-lock") { Description = "Seconds to wait for another tune of the same workload and memory file to finish (default 0: exit 9 at once). See docs/running-real-jobs.md.", CustomParser = NumberParsers.Number };
    private readonly Option<bool> _json = new("--json") { Description = "Print the final summary as JSON on stdout." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No per-step progress on stderr." };

    private readonly RunLogSink _runLog;
    private readonly TimeProvider _time;
    private readonly ILogger<TuneCommand> _logger;

    public TuneCommand(RunLogSink runLog, TimeProvider time, ILogger<TuneCommand> logger)
        : base("tune", "Tune NCCL for a workload: offline plan, online apply→run→measure→decide loop, post-run learning.")
    {
        _runLog = runLog;
        _time = time;
        _logger = logger;
        _provider.AcceptOnlyFromAmong("none", "ollama", "openai", "anthropic");
        foreach (Option option in new Option[] { _workload, _config, _dryRun, _simulateWorkload, _provider, _model, _llmEndpoint, _llmTimeout, _llmEvery, _knowledge, _artifactsRoot, _memory, _seed, _maxSteps, _env, _inJob, _tunerPlugin, _resume, _waitLock, _json, _quiet })
        {
            Options.Add(option);
        }

        SetAction((parse, ct) => ExecuteAsync(parse, ct));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TextWriter error = parse.InvocationConfiguration.Error;
        TextWriter output = parse.InvocationConfiguration.Output;
        string workloadFile = parse.GetRequiredValue(_workload).FullName;
        string shownWorkload = parse.GetRequiredValue(_workload).ToString();

        LoadResult<WorkloadSpec> workload = await WorkloadLoader.LoadAsync(shownWorkload, cancellationToken);
        if (!workload.IsValid)
        {
            return Problems(error, workload.Problems);
        }

        AgentConfig? agentConfig = null;
        string? configFile = parse.GetValue(_config)?.ToString();
        if (configFile is not null)
        {
            LoadResult<AgentConfig> config = await JsonInputReader.ReadAsync(configFile, CliJsonContext.Default.AgentConfig, cancellationToken);
            IReadOnlyList<InputProblem> problems = config.Value is null ? config.Problems : AgentConfigValidator.Validate(config.Value, configFile);
            if (problems.Count > 0)
            {
                return Problems(error, problems);
            }

            agentConfig = config.Value;
        }

        int? maxSteps = parse.GetValue(_maxSteps);
        if (maxSteps is < 1 or > 1000)
        {
            await error.WriteLineAsync($"error: --max-steps: {maxSteps} is out of range; expected an integer in [1, 1000]");
            return ExitCodes.InvalidInput;
        }

        if (parse.GetValue(_dryRun) && parse.GetValue(_simulateWorkload))
        {
            await error.WriteLineAsync("error: --dry-run and --simulate-workload exclude each other; --dry-run simulates both the microbenchmark and the job, --simulate-workload only the job");
            return ExitCodes.UsageError;
        }

        List<KeyValuePair<string, string>> overrides = [];
        foreach (string assignment in parse.GetValue(_env) ?? [])
        {
            int equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                await error.WriteLineAsync($"error: --env: '{assignment}' is not NAME=VALUE");
                return ExitCodes.InvalidInput;
            }

            overrides.Add(new(assignment[..equals], assignment[(equals + 1)..]));
        }

        string mode = parse.GetValue(_dryRun) ? TuningModes.DryRun : parse.GetValue(_simulateWorkload) ? TuningModes.SimulateWorkload : TuningModes.Real;

        WorkloadSpec spec = workload.Value!;
        if (mode != TuningModes.Real)
        {
            // The simulated job applies only the step's tuned settings; what the user set for the real job is not modelled.
            IEnumerable<KeyValuePair<string, string?>> userSet = (spec.Env ?? new Dictionary<string, string>()).Concat(overrides)
                .Select(v => new KeyValuePair<string, string?>(v.Key, v.Value));
            foreach (UnreadVariable unread in UnreadNcclVariables.AllOf(userSet, "the workload's env and --env reach real jobs only"))
            {
                await error.WriteLineAsync(unread.Warning);
            }
        }

        (LlmSettings? llm, string? llmProblem) = ResolveLlm(parse, agentConfig);
        if (llm is null)
        {
            await error.WriteLineAsync($"error: {llmProblem}");
            return ExitCodes.InvalidInput;
        }

        double? waitLock = parse.GetValue(_waitLock);
        if (waitLock is < 0 or > 604800)
        {
            await error.WriteLineAsync($"error: --wait-lock: {waitLock} is out of range; expected seconds in [0, 604800]");
            return ExitCodes.InvalidInput;
        }

        int? llmEvery = parse.GetValue(_llmEvery) ?? agentConfig?.LlmEvery;
        if (llmEvery is < 1 or > 1000)
        {
            await error.WriteLineAsync($"error: --llm-every: {llmEvery} is out of range; expected an integer in [1, 1000]");
            return ExitCodes.InvalidInput;
        }

        List<string> knowledgeDirs = [.. agentConfig?.KnowledgeDirs ?? [], .. parse.GetValue(_knowledge) ?? []];
        if (knowledgeDirs.FirstOrDefault(d => !Directory.Exists(d)) is string missingDir)
        {
            await error.WriteLineAsync($"error: --knowledge: directory '{missingDir}' does not exist");
            return ExitCodes.InvalidInput;
        }

        TuningOptions options = ResolveOptions(spec, agentConfig, parse, maxSteps, mode) with
        {
            Provider = LlmSettings.ProviderName(llm.Provider),
            LlmModel = llm.Enabled ? llm.Model : null,
            LlmEndpoint = llm.Enabled ? llm.SafeEndpoint : null,
            LlmEvery = llmEvery ?? new TuningOptions().LlmEvery,
        };
        KnowledgeLibrary? knowledge = knowledgeDirs.Count == 0 ? null : KnowledgeLibrary.Load(knowledgeDirs);
        return await RunAsync(parse, spec, shownWorkload, options, agentConfig, configFile, llm, knowledge, overrides, output, error, cancellationToken);
    }

    /// <summary>Flags over environment over config file over defaults; the API key is only ever read from the environment.</summary>
    private (LlmSettings? Settings, string? Problem) ResolveLlm(ParseResult parse, AgentConfig? config)
    {
        double? timeout = parse.GetValue(_llmTimeout);
        if (timeout is <= 0 or > 3600)
        {
            return (null, $"--llm-timeout: {timeout} is out of range; expected seconds in (0, 3600]");
        }

        var commandLine = new LlmSettingsSources { Provider = parse.GetValue(_provider), Model = parse.GetValue(_model), Endpoint = parse.GetValue(_llmEndpoint), TimeoutSeconds = timeout };
        var file = new LlmSettingsSources
        {
            Provider = config?.Provider, Model = config?.Model, Endpoint = config?.LlmEndpoint, TimeoutSeconds = config?.LlmTimeoutSeconds,
            MaxRetries = config?.LlmRetries, Stream = config?.LlmStream, MaxCalls = config?.LlmMaxCalls, ContextTokens = config?.LlmContextTokens,
        };
        (LlmSettings? settings, IReadOnlyList<string> problems) = LlmSettingsResolver.Resolve(
            commandLine, LlmSettingsResolver.FromEnvironment(Environment.GetEnvironmentVariable), file, LlmSettingsResolver.ApiKeyVariable(Environment.GetEnvironmentVariable));
        return (settings, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private async Task<int> RunAsync(ParseResult parse, WorkloadSpec spec, string workloadFile, TuningOptions options, AgentConfig? agentConfig, string? configFile, LlmSettings llm, KnowledgeLibrary? knowledge, IReadOnlyList<KeyValuePair<string, string>> overrides, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string artifactsRoot = parse.GetValue(_artifactsRoot) ?? agentConfig?.ArtifactsRoot ?? "artifacts";
        string memoryPath = parse.GetValue(_memory) ?? agentConfig?.Memory ?? Path.Combine("memory", "ccl-agent.db");

        string lockPath = WorkloadLock.PathFor(memoryPath, spec.Name!);
        TimeSpan wait = TimeSpan.FromSeconds(parse.GetValue(_waitLock) ?? 0);
        WorkloadLock? held;
        try
        {
            held = await WorkloadLock.AcquireAsync(lockPath, wait, _time, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: --memory {memoryPath}: cannot create the workload lock {lockPath} ({RunWorkspace.OneLine(ex.Message)}); expected a writable directory beside the memory file");
            return ExitCodes.InvalidInput;
        }

        if (held is null)
        {
            string holder = WorkloadLock.Holder(lockPath) is { } who ? $" ({who})" : "";
            await error.WriteLineAsync($"error: workload '{spec.Name}' is being tuned by another ccl-agent with memory {Path.GetFullPath(memoryPath)}{holder}; lock {lockPath}; nothing was run (wait for it with --wait-lock SECONDS)");
            return ExitCodes.Locked;
        }

        using WorkloadLock workloadLock = held;
        MemoryStore memory;
        string? scratch = null;
        try
        {
            memory = RunWorkspace.OpenUsableMemory(memoryPath, _time);
        }
        catch (MemoryStoreException ex) when (ex.Damaged)
        {
            // Memory makes a run better, never possible: a damaged file (corrupt page, dropped table or column)
            // costs this run its history, not its result. A file that is not ours at all is still refused below.
            await error.WriteLineAsync($"warning: --memory {Path.GetFullPath(memoryPath)} cannot be used ({RunWorkspace.OneLine(ex.Message)}); tuning without memory this run");
            _logger.LogWarning(ex, "Memory database {Path} is damaged; running without memory", memoryPath);
            scratch = Directory.CreateTempSubdirectory("ccl-agent-nomemory-").FullName;
            memory = MemoryStore.Open(Path.Combine(scratch, "memory.db"), _time);
        }
        catch (MemoryStoreException ex)
        {
            await error.WriteLineAsync($"error: --memory: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        try
        {
            return await RunWithMemoryAsync(parse, spec, workloadFile, options, agentConfig, configFile, llm, knowledge, overrides, output, error, artifactsRoot, memoryPath, memory, cancellationToken);
        }
        finally
        {
            memory.Dispose();
            if (scratch is not null)
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private async Task<int> RunWithMemoryAsync(ParseResult parse, WorkloadSpec spec, string workloadFile, TuningOptions options, AgentConfig? agentConfig, string? configFile, LlmSettings llm, KnowledgeLibrary? knowledge, IReadOnlyList<KeyValuePair<string, string>> overrides, TextWriter output, TextWriter error, string artifactsRoot, string memoryPath, MemoryStore memory, CancellationToken cancellationToken)
    {
        string? resumeDir = parse.GetValue(_resume);
        RunContext? previous = null;
        RunDirectory run;
        if (resumeDir is not null)
        {
            (RunDirectory? resumed, previous, string? resumeProblem) = RunResumption.Open(resumeDir, spec.Name!, options);
            if (resumed is null)
            {
                await error.WriteLineAsync($"error: {resumeProblem}");
                return ExitCodes.InvalidInput;
            }

            run = resumed;
        }
        else
        {
            (RunDirectory? created, string? rootProblem, bool diskFull) = RunWorkspace.CreateRunDirectory(artifactsRoot, spec.Name!, _time);
            if (created is null)
            {
                await error.WriteLineAsync($"error: --artifacts-root {artifactsRoot}: {rootProblem}");
                return diskFull ? ExitCodes.JobFailed : ExitCodes.InvalidInput;
            }

            run = created;
        }

        using Serilog.Core.Logger runLogger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.File(new RedactingFormatter(new CompactJsonFormatter()), run.LogFile).CreateLogger();
        _runLog.Attach(runLogger, run.LogFile);
        var runContext = new RunContextFile(run, new RunContext
        {
            RunId = run.RunId,
            Command = "tune",
            WorkloadName = spec.Name!,
            WorkloadFile = workloadFile,
            Mode = options.Mode,
            Seed = options.Seed,
            StartedAt = previous?.StartedAt ?? _time.GetUtcNow(),
            Host = Environment.MachineName,
            AgentVersion = typeof(TuneCommand).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            // Masked like every other record of the run (--env HF_TOKEN=…, --llm-endpoint http://user:password@host/).
            Argv = [.. SecretRedactor.RedactArguments(Environment.GetCommandLineArgs().Skip(1))],
            MemoryPath = Path.GetFullPath(memoryPath),
            Provider = options.Provider,
        });
        try
        {
            await runContext.StartAsync();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: --artifacts-root {artifactsRoot}: cannot write {run.RunContextFile} ({ex.Message})");
            return FileSystemErrors.IsDiskFull(ex) ? ExitCodes.JobFailed : ExitCodes.InvalidInput;
        }

        double noise = agentConfig?.NoiseSigma ?? SimulationOptions.DefaultNoiseSigma;
        double faults = agentConfig?.TransientFaultRate ?? 0;
        await ArtifactJson.WriteAsync(run.ConfigSnapshotFile, ConfigSnapshot.Of(spec, agentConfig, configFile, options, noise, faults), CliJsonContext.Default.ConfigSnapshot, CancellationToken.None);
        _logger.LogInformation("Run {RunId} started for {Workload} in {Mode}", run.RunId, spec.Name, options.Mode);

        // A resumed run appends to its trace, muted while it replays what the trace holds already.
        using TraceWriter trace = previous is null ? new TraceWriter(run.TraceFile, run.RunId, _time) : TraceWriter.Continue(run.TraceFile, run.RunId, _time);
        trace.Muted = previous is not null;
        using ModelConnection connection = ChatClientFactory.Create(llm, Environment.GetEnvironmentVariable);
        var session = new LlmSession(connection, trace, run.Llm, _time, message =>
        {
            error.WriteLine(message);
            _logger.LogWarning("Language model unavailable; continuing deterministically");
        });
        _logger.LogInformation("LLM provider {Provider}, model {Model}, endpoint {Endpoint}", options.Provider, options.LlmModel, options.LlmEndpoint);
        (TuningContext? context, string? setupProblem) = TuningRun.For(new TuningRunRequest
        {
            Workload = spec,
            WorkloadFile = workloadFile,
            Options = options,
            Run = run,
            Trace = trace,
            Memory = memory,
            Time = _time,
            NoiseSigma = noise,
            TransientFaultRate = faults,
            Overrides = overrides,
            Llm = session,
            Knowledge = knowledge,
            TunerPluginPath = parse.GetValue(_tunerPlugin),
            Progress = parse.GetValue(_quiet) ? NullProgressSink.Instance : new Console.ConsoleProgressSink(error),
        });

        if (context is not null && previous is not null)
        {
            (TuningContext? resuming, string? resumeProblem) = Resuming(context, previous, memory);
            context = resuming;
            if (context is null)
            {
                trace.Muted = false;
                await error.WriteLineAsync($"error: --resume {resumeDir}: {resumeProblem}");
                return ExitCodes.InvalidInput;
            }
        }

        if (setupProblem is null && !parse.GetValue(_quiet))
        {
            string verb = previous is null ? "run directory" : "resuming";
            await error.WriteLineAsync($"ccl-agent tune: {spec.Name} ({options.Mode}), budget {options.Budget} trials, {verb} {run.Root}");
        }

        using var usr1 = new StopAfterStepSignal();
        (RunStatus status, TuningOutcome? outcome, string? problem) = setupProblem is null
            ? await TuneAsync(context! with { StopAfterStep = usr1.Token }, cancellationToken)
            : (RunStatus.JobFailed, null, setupProblem);
        if (context?.Runner is IAsyncDisposable ownedJob)
        {
            await ownedJob.DisposeAsync(); // an in-job run's job never outlives the agent that launched it
        }

        try
        {
            await runContext.FinishAsync(status, _time.GetUtcNow(), outcome?.Summary?.ContextSignature);
        }
        catch (IOException ex) when (FileSystemErrors.IsDiskFull(ex))
        {
            (status, problem) = (RunStatus.JobFailed, RunWorkspace.DiskFull(run));
        }

        await RunWorkspace.WarnQuarantinedAsync(memory, error);
        _logger.LogInformation("Run {RunId} finished: {Status}", run.RunId, status);
        return await ReportAsync(status, outcome, problem, run, parse.GetValue(_json), output, error);
    }

    /// <summary>
    /// The resumed run's context: the interrupted run's start, its recorded steps answered from their records, and its
    /// trials forgotten in memory (the replay records them again). Null with a reason when the record is unreadable.
    /// </summary>
    private static (TuningContext? Context, string? Problem) Resuming(TuningContext context, RunContext previous, MemoryStore memory)
    {
        RecordedRun recorded;
        try
        {
            recorded = RecordedRun.Load(context.Run);
        }
        catch (ResumeException ex)
        {
            return (null, ex.Message);
        }

        memory.ForgetTrials(context.Run.RunId);
        var point = new ResumePoint(context.Trace, recorded);
        bool simulatedJob = context.Options.Mode != TuningModes.Real;
        return (context with { StartedAt = previous.StartedAt, Resume = point, Runner = new ResumingJobRunner(context.Runner, point, fastForward: simulatedJob) }, null);
    }

    /// <summary>Runs the engine; an internal error is logged here, while the run's log file is attached: the stack trace goes there, not to the user.</summary>
    private async Task<(RunStatus Status, TuningOutcome? Outcome, string? Problem)> TuneAsync(TuningContext context, CancellationToken cancellationToken)
    {
        try
        {
            TuningOutcome outcome = await new TuningEngine(context).RunAsync(cancellationToken);
            RunStatus status = outcome.Preempted ? RunStatus.Preempted : outcome.Cancelled ? RunStatus.Cancelled : outcome.JobFailure is not null ? RunStatus.JobFailed : RunStatus.Succeeded;
            return (status, outcome, outcome.JobFailure);
        }
        catch (ResumeException ex)
        {
            // This version would not take the interrupted run's path: the record is kept as it is, nothing is mixed into it.
            _logger.LogWarning(ex, "Run {RunId} cannot be resumed", context.Run.RunId);
            return (RunStatus.Failed, null, ResumeRefused + ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (RunStatus.Cancelled, null, null);
        }
        catch (Exception ex) when (FileSystemErrors.IsDiskFull(ex))
        {
            // The environment, not a bug: the run cannot be recorded, so it is reported like a job that could not run.
            _logger.LogError(ex, "Run {RunId} stopped: disk full", context.Run.RunId);
            return (RunStatus.JobFailed, null, RunWorkspace.DiskFull(context.Run));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Run {RunId} failed", context.Run.RunId);
            return (RunStatus.Failed, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task<int> ReportAsync(RunStatus status, TuningOutcome? outcome, string? problem, RunDirectory run, bool json, TextWriter output, TextWriter error)
    {
        switch (status)
        {
            case RunStatus.JobFailed:
                await error.WriteLineAsync(outcome is null ? $"error: {problem}" : $"error: {problem}; see {run.Root}");
                return ExitCodes.JobFailed;
            case RunStatus.Failed when problem?.StartsWith(ResumeRefused, StringComparison.Ordinal) == true:
                await error.WriteLineAsync($"error: --resume {run.Root}: {problem[ResumeRefused.Length..]}");
                return ExitCodes.InvalidInput;
            case RunStatus.Preempted:
                await error.WriteLineAsync($"preempted: stopped after step {outcome!.Steps.Count - 1}; continue with the same command and --resume {run.Root}");
                return ExitCodes.Preempted;
            case RunStatus.Failed:
                await error.WriteLineAsync(File.Exists(run.LogFile)
                    ? $"error: internal error ({problem}); details are in {run.LogFile}"
                    : $"error: internal error ({problem}); no log could be written under {run.Root}");
                return ExitCodes.InternalError;
            case RunStatus.Cancelled when outcome?.Summary is null:
                await error.WriteLineAsync($"cancelled before the baseline was measured; nothing to report ({run.Root})");
                return ExitCodes.Cancelled;
        }

        await TuneSummaryWriter.WriteAsync(outcome!.Summary!, run, json, output);
        if (status == RunStatus.Cancelled)
        {
            await error.WriteLineAsync($"cancelled: partial results kept in {run.Root}");
            return ExitCodes.Cancelled;
        }

        return ExitCodes.Success;
    }

    private const string ResumeRefused = "resume refused: ";

    private static TuningOptions ResolveOptions(WorkloadSpec spec, AgentConfig? config, ParseResult parse, int? maxSteps, string mode)
    {
        TuningSpec tuning = spec.Tuning ?? new TuningSpec();
        var defaults = new TuningOptions();
        return new TuningOptions
        {
            Budget = maxSteps ?? config?.Budget ?? tuning.Budget ?? defaults.Budget,
            Seed = parse.GetValue<int?>("--seed") ?? config?.Seed ?? defaults.Seed,
            Iterations = config?.Iterations ?? tuning.Iterations ?? defaults.Iterations,
            WarmupIterations = config?.WarmupIterations ?? tuning.WarmupIterations ?? defaults.WarmupIterations,
            PlateauSteps = config?.PlateauSteps ?? tuning.PlateauSteps ?? defaults.PlateauSteps,
            TargetSpeedup = config?.TargetSpeedup ?? tuning.TargetSpeedup,
            SlaMaxIterationMs = config?.SlaMaxIterationMs ?? tuning.SlaMaxIterationMs,
            Mode = mode,
            InJob = parse.GetValue<bool>("--in-job"),

            // Real nccl-tests runs cost seconds each: sweep the best subspace only. The cluster-time rule stops sweeps
            // that cannot pay for themselves; max_runs stays as an explicit cap.
            MicrobenchmarkSweptSubspaces = mode == TuningModes.DryRun ? defaults.MicrobenchmarkSweptSubspaces : spec.Microbenchmark?.SweptSubspaces ?? 1,
            MicrobenchmarkMaxRuns = mode == TuningModes.DryRun ? defaults.MicrobenchmarkMaxRuns : spec.Microbenchmark?.MaxRuns ?? defaults.MicrobenchmarkMaxRuns,
        };
    }

    private static int Problems(TextWriter error, IReadOnlyList<InputProblem> problems)
    {
        foreach (InputProblem problem in problems.Take(20))
        {
            error.WriteLine($"error: {problem}");
        }

        if (problems.Count > 20)
        {
            error.WriteLine($"error: … and {problems.Count - 20} more problems");
        }

        return ExitCodes.InvalidInput;
    }
}
