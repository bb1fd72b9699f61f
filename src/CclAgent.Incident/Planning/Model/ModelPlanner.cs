using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Tools;
using CclAgent.Llm.Agents;
using CclAgent.Llm.Clients;

namespace CclAgent.Incident.Planning.Model;

/// <summary>
/// Path "model": the same tools as Semantic Kernel functions through <see cref="ToolCallingAgent"/> (round cap,
/// timeout, repeated-call refusal, masking, output cap), then code checks the model's answer: the category and
/// the fix plan are validated (<see cref="ModelAnswer"/>), and the fix is simulated, predicted and validated by the
/// tools themselves, so the verdict never rests on what the model claims.
/// </summary>
internal sealed class ModelPlanner(ToolRunner runner, ModelConnection connection, TimeProvider time, string? llmDirectory)
{
    /// <summary>The model's bound when --timeout is not given.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public async Task<ModelRun> RunAsync(IncidentRequest request, JsonObject? config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agentRequest = new AgentRequest
        {
            SystemPrompt = ModelPrompts.System(request.MaxRounds),
            UserPrompt = ModelPrompts.User(request.Symptom, request.PreTelemetry is null ? null : (JsonObject?)SecretMasking.Mask(request.PreTelemetry.DeepClone())),
            Tools = runner.Tools.Select(AsAgentTool).ToList(),
            MaxRounds = request.MaxRounds,
            Timeout = request.Timeout ?? DefaultTimeout,
            Purpose = "incident",
            MaxToolResultChars = ModelOutputCap.MaxChars,
        };
        AgentRunResult run = await new ToolCallingAgent(connection, time, llmDirectory).RunAsync(agentRequest, cancellationToken);
        List<AgentTraceEntry> calls = run.ToolCalls.Select(Entry).ToList();
        if (run.Stop != AgentStopReason.Completed)
        {
            string kind = run.Stop switch { AgentStopReason.RoundCap => "round_cap", AgentStopReason.Timeout => "timeout", _ => "model_error" };
            return Fallback(run, calls, kind, run.StopDetail ?? kind);
        }

        (ModelAnswer? answer, string? problem) = ModelAnswer.Parse(run.FinalText);
        if (answer is null)
        {
            return Fallback(run, calls, "invalid_reply", problem!);
        }

        // The checks get their own runner: a call the model already made must run again here, not be refused.
        int round = Math.Max(1, run.Rounds);
        var checks = new ToolRunner(runner.Tools, time, runner.Trace);
        (JsonObject? fixResult, JsonObject? post, ValidationResult validation) = await FixCheck.RunAsync(
            (tool, args) => checks.CallAsync(round, tool, args, cancellationToken), config, answer.Plan, request.PreTelemetry);
        return new ModelRun
        {
            Rounds = run.Rounds,
            ModelCalls = calls,
            Result = new AgentResult
            {
                Diagnosis = answer.Diagnosis,
                FixPlan = answer.Plan,
                FixResult = fixResult,
                PostTelemetry = post,
                Validation = validation,
                AgentTrace = [.. calls, .. checks.Entries],
                Rounds = run.Rounds,
                Path = AgentPath.Model,
            },
        };
    }

    private static ModelRun Fallback(AgentRunResult run, List<AgentTraceEntry> calls, string kind, string reason) => new()
    {
        Rounds = run.Rounds,
        ModelCalls = calls,
        FallbackKind = kind,
        FallbackReason = reason,
        HitLimit = run.HitLimit,
    };

    /// <summary>An incident tool as a model function; the runner masks, records and turns failures into structured errors.</summary>
    private AgentTool AsAgentTool(IIncidentTool tool) => new(
        tool.Name,
        tool.Description,
        JsonSerializer.SerializeToElement(tool.ArgsSchema, IncidentJsonContext.Default.JsonObject),
        // Round 0 in the span: the runner cannot see the model's round; agent_trace takes it from the agent's record.
        async (args, ct) => await runner.CallAsync(0, tool.Name, args, ct));

    private static AgentTraceEntry Entry(AgentToolCall call) => new(
        call.Round,
        call.Name,
        call.Arguments,
        call.Status switch { AgentToolStatus.Error or AgentToolStatus.Refused => ToolStatus.Error, AgentToolStatus.NoData => ToolStatus.NoData, _ => ToolStatus.Success },
        call.DurationMs)
    {
        Error = call.Error is null ? null : new JsonObject
        {
            ["kind"] = call.Status == AgentToolStatus.Refused ? "repeated_call" : "tool_error",
            ["message"] = call.Error,
        },
    };
}
