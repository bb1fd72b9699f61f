using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Cli.Configuration;
using CclAgent.Core.Json;
using CclAgent.Core.Runs;
using CclAgent.Core.Tracing;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Clients;
using CclAgent.Memory;
using CclAgent.Runtime;
using CclAgent.Runtime.Advice;
using CclAgent.Tuning;
using CclAgent.Tuning.Json;
using CclAgent.Tuning.Records;
using CclAgent.Tuning.Resuming;

namespace CclAgent.Cli.Replay;

/// <summary>
/// Re-derives every decision of a recorded tune run from its run directory alone: the engine runs again with each
/// step and the microbenchmark answered from the record and the memory as the run found it (offline/replay.json), in a
/// scratch directory; then the offline plan and every step's configuration, status and decision are compared.
/// </summary>
internal static class RunReplayer
{
    private static readonly string[] ComparedStepFields = ["config", "status", "decision"];
    private static readonly string[] ComparedCallFields = ["purpose", "phase", "step", "outcome"];

    /// <exception cref="ReplayInputException">The directory is not a replayable tune run.</exception>
    public static async Task<ReplayReport> ReplayAsync(string directory, CancellationToken cancellationToken)
    {
        RunDirectory recorded = RunDirectory.Open(directory);
        RunContext run = Read(recorded.RunContextFile, CoreJsonContext.Default.RunContext);
        ConfigSnapshot snapshot = Read(recorded.ConfigSnapshotFile, CliJsonContext.Default.ConfigSnapshot);
        ReplayInputs inputs = Read(Path.Combine(recorded.Offline, "replay.json"), TuningJson.ReplayInputsType);
        if (inputs.Schema != ReplayInputs.CurrentSchema)
        {
            throw new ReplayInputException($"{Path.Combine(recorded.Offline, "replay.json")}: schema is {inputs.Schema}; this version replays schema {ReplayInputs.CurrentSchema}");
        }

        RecordedRun record;
        try
        {
            record = RecordedRun.Load(recorded);
        }
        catch (ResumeException ex)
        {
            throw new ReplayInputException(ex.Message);
        }

        string scratch = Directory.CreateTempSubdirectory("ccl-agent-replay-").FullName;
        try
        {
            RunDirectory replayed = RunDirectory.Create(scratch, run.RunId);
            // The memory is weighed as of the run's start, whatever the time of the replay.
            string? failure = await RunEngineAsync(recorded, replayed, run, snapshot, inputs, record, new RecordedClock(run.StartedAt), cancellationToken);
            return Compare(recorded, replayed, run, failure);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Runs the engine against the record; returns why it left the recorded path, or null when it did not.</summary>
    private static async Task<string?> RunEngineAsync(RunDirectory recorded, RunDirectory replayed, RunContext run, ConfigSnapshot snapshot, ReplayInputs inputs, RecordedRun record, TimeProvider time, CancellationToken cancellationToken)
    {
        string memoryPath = Path.Combine(Path.GetDirectoryName(replayed.Root)!, "memory.db");
        if (inputs.MemorySnapshot is { } copy)
        {
            File.Copy(Path.Combine(recorded.Offline, copy), memoryPath);
        }

        if (inputs.CrossRunModel is { } model)
        {
            File.Copy(Path.Combine(recorded.Offline, model), Path.ChangeExtension(memoryPath, ".crossrun.zip"));
        }

        using MemoryStore memory = MemoryStore.Open(memoryPath, time);
        using var trace = new TraceWriter(replayed.TraceFile, run.RunId, time);
        var point = new ResumePoint(trace, record) { ReplayOnly = true };
        using ModelConnection? connection = RecordedModelConnection(recorded, inputs);
        var request = new TuningRunRequest
        {
            Workload = snapshot.Workload, WorkloadFile = run.WorkloadFile, Options = snapshot.Options, Run = replayed, Trace = trace,
            Memory = memory, Time = time, NoiseSigma = snapshot.NoiseSigma, TransientFaultRate = snapshot.TransientFaultRate,
            Llm = connection is null ? null : new LlmSession(connection, trace, replayed.Llm, time, _ => { }),
        };
        try
        {
            await new TuningEngine(TuningRun.ForReplay(request, inputs.AppliesTunerConf, point, run.StartedAt)).RunAsync(cancellationToken);
            return null;
        }
        catch (ResumeException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// The run's model, answered from its prompt packs, when it asked one: the same settings (call budget, retries,
    /// context size), so the session makes the same calls, and every reply or failure as recorded. Null without a model.
    /// </summary>
    private static ModelConnection? RecordedModelConnection(RunDirectory recorded, ReplayInputs inputs)
    {
        if (inputs.Model is not { } recordedModel)
        {
            return null;
        }

        string where = Path.Combine(recorded.Offline, "replay.json");
        LlmSettings settings = LlmModelAdvisor.Settings(recordedModel)
            ?? throw new ReplayInputException($"{where}: model.provider '{recordedModel.Provider}' or model.endpoint '{recordedModel.Endpoint}' is not one this version can replay; expected ollama, openai or anthropic and an absolute URL");
        try
        {
            return new ModelConnection(RecordedChatClient.FromPacks(recorded.Llm), settings, []);
        }
        catch (JsonException ex)
        {
            throw new ReplayInputException($"{recorded.Llm}: a prompt pack is not readable ({ex.Message.Split('\n')[0]})");
        }
    }

    /// <summary>Each model call of the replay against the record's: same purpose, phase, step and outcome, in the same order.</summary>
    private static int CompareCalls(RunDirectory recorded, RunDirectory replayed, List<ReplayDivergence> divergences)
    {
        string[] mine = CallFiles(recorded), theirs = CallFiles(replayed);
        for (int i = 0; i < Math.Max(mine.Length, theirs.Length); i++)
        {
            string name = Path.GetFileName(i < mine.Length ? mine[i] : theirs[i]);
            JsonObject? a = i < mine.Length ? Object(mine[i]) : null, b = i < theirs.Length ? Object(theirs[i]) : null;
            int? step = (a ?? b)!["step"]?.GetValue<int?>();
            string? eventId = EventId(recorded, "llm.call", step);
            if (a is null || b is null)
            {
                divergences.Add(new ReplayDivergence(step, eventId, $"llm/{name}", a is null ? "no call" : "called", b is null ? "no call" : "called"));
                return mine.Length;
            }

            foreach (string field in ComparedCallFields)
            {
                string x = a[field]?.ToJsonString() ?? "null", y = b[field]?.ToJsonString() ?? "null";
                if (x != y)
                {
                    divergences.Add(new ReplayDivergence(step, eventId, $"llm/{name}: {field}", x, y));
                    return mine.Length;
                }
            }
        }

        return mine.Length;
    }

    private static string[] CallFiles(RunDirectory run) =>
        Directory.Exists(run.Llm) ? [.. Directory.EnumerateFiles(run.Llm, "call_*.json").Order(StringComparer.Ordinal)] : [];

    private static ReplayReport Compare(RunDirectory recorded, RunDirectory replayed, RunContext run, string? failure)
    {
        var divergences = new List<ReplayDivergence>();
        int decisions = 1;
        string recordedPlan = Json(Path.Combine(recorded.Offline, "plan.json"));
        string replayedPlan = Json(Path.Combine(replayed.Offline, "plan.json"));
        if (recordedPlan != replayedPlan)
        {
            divergences.Add(new ReplayDivergence(null, EventId(recorded, "phase.offline.start", null), "offline/plan.json", Cut(recordedPlan), Cut(replayedPlan)));
        }

        bool unfinished = run.Status is not (RunStatus.Succeeded or RunStatus.JobFailed);
        string? endedAt = null;
        foreach (string file in StepFiles(recorded))
        {
            decisions++;
            JsonObject mine = Object(Path.Combine(recorded.Steps, file));
            int step = mine["step"]!.GetValue<int>();
            string theirsFile = Path.Combine(replayed.Steps, file);
            if (!File.Exists(theirsFile))
            {
                divergences.Add(new ReplayDivergence(step, EventId(recorded, "decision", step), "step", "recorded", failure ?? "not reached"));
                continue;
            }

            JsonObject theirs = Object(theirsFile);
            foreach (string field in ComparedStepFields)
            {
                string a = mine[field]?.ToJsonString() ?? "null", b = theirs[field]?.ToJsonString() ?? "null";
                if (a != b)
                {
                    divergences.Add(new ReplayDivergence(step, EventId(recorded, "decision", step), $"steps/{file}: {field}", Cut(a), Cut(b)));
                    break;
                }
            }
        }

        // The model's calls count as decisions too: each reply (or failure) steered what the run tried next.
        decisions += CompareCalls(recorded, replayed, divergences);

        if (failure is not null && divergences.Count == 0)
        {
            // The record ran out: an interrupted run ends there, a finished one should not have.
            if (unfinished)
            {
                endedAt = $"the record ends here (run {WireName.Of(run.Status)}): {failure}";
            }
            else
            {
                decisions++;
                divergences.Add(new ReplayDivergence(null, null, "run", "finished", failure));
            }
        }

        return new ReplayReport(decisions, divergences.Count, divergences.FirstOrDefault()) { EndedAt = endedAt };
    }

    private static IEnumerable<string> StepFiles(RunDirectory run) =>
        Directory.EnumerateFiles(run.Steps, "step_*.json").Where(RecordedRun.IsStepRecord).Select(Path.GetFileName).OfType<string>()
            .OrderBy(name => name == "step_confirm.json" ? int.MaxValue : int.Parse(name[5..^5], System.Globalization.CultureInfo.InvariantCulture));

    private static string? EventId(RunDirectory run, string type, int? step)
    {
        if (!File.Exists(run.TraceFile))
        {
            return null;
        }

        foreach (string line in File.ReadLines(run.TraceFile))
        {
            if (!line.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal))
            {
                continue;
            }

            JsonNode? node = JsonNode.Parse(line);
            if (node?["step"]?.GetValue<int?>() == step)
            {
                return node?["event_id"]?.GetValue<string>();
            }
        }

        return null;
    }

    private static string Json(string file) => File.Exists(file) ? Object(file).ToJsonString() : "(missing)";

    private static JsonObject Object(string file) => JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? [];

    private static string Cut(string value) => value.Length <= 400 ? value : value[..400] + "…";

    private static T Read<T>(string file, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (!File.Exists(file))
        {
            throw new ReplayInputException(file.EndsWith("replay.json", StringComparison.Ordinal)
                ? $"{file} is missing: this run directory was written by a version before replay (it needs run-directory schema {ReplayInputs.CurrentSchema}); record the run again"
                : $"{file} is missing; expected a run directory that tune wrote");
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), type) ?? throw new ReplayInputException($"{file}: expected a JSON object, found null");
        }
        catch (JsonException ex)
        {
            throw new ReplayInputException($"{file}: not readable{(ex.Path is { Length: > 0 } p ? " at " + p : string.Empty)} ({ex.Message.Split('\n')[0]})");
        }
    }
}
