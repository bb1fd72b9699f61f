using System.Text.Json.Nodes;
using CclAgent.Core.Tracing;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Classification;
using CclAgent.Incident.Modeling;
using CclAgent.Incident.Signals;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Planning;

/// <summary>
/// The baseline planner (path "deterministic"): gather (logs, metrics; config, runtime, GPUs) → analyze → classify
/// with diagnose's evidence library and the serving rules → fix from the rule table → simulate → post telemetry →
/// validate: six rounds. Every tool failure is recorded and the run goes on with what it has; at the round cap or
/// the timeout it returns what it has with validation unknown.
/// </summary>
public sealed class DeterministicPlanner(ToolRunner runner)
{
    public const int Rounds = 6;

    public async Task<AgentResult> RunAsync(IncidentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Timeout is TimeSpan limit)
        {
            timeout.CancelAfter(limit);
        }

        var run = new Run(runner, request, timeout.Token);
        string? stoppedBy = null;
        try
        {
            await run.ExecuteAsync();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stoppedBy = $"the --timeout of {request.Timeout?.TotalSeconds:0.#} s was reached";
        }

        stoppedBy ??= run.CapReached ? $"the round cap ({request.MaxRounds}) was reached before validation" : null;
        return run.Result(stoppedBy, cancellationToken);
    }

    /// <summary>One execution's state: what each round produced.</summary>
    private sealed class Run(ToolRunner runner, IncidentRequest request, CancellationToken token)
    {
        private readonly Observations _o = new() { PreTelemetry = request.PreTelemetry };
        private IncidentDiagnosis? _diagnosis;
        private FixPlan? _plan;
        private JsonObject? _fixResult;
        private JsonObject? _post;
        private ValidationResult? _validation;

        public int RoundsUsed { get; private set; }

        public bool CapReached { get; private set; }

        public async Task ExecuteAsync()
        {
            Func<Task>[] rounds = [GatherLogsAsync, GatherStateAsync, AnalyzeAsync, SimulateAsync, PostTelemetryAsync, ValidateAsync];
            foreach (Func<Task> round in rounds)
            {
                if (RoundsUsed >= request.MaxRounds)
                {
                    CapReached = true;
                    return;
                }

                token.ThrowIfCancellationRequested();
                RoundsUsed++;
                using TraceSpan? span = runner.Trace?.BeginSpan("incident.round", "incident", "deterministic", RoundsUsed);
                await round();
                span?.Complete();
                if (_validation is not null)
                {
                    return;
                }
            }
        }

        public AgentResult Result(string? stoppedBy, CancellationToken cancellationToken)
        {
            IncidentDiagnosis diagnosis = _diagnosis ?? IncidentClassifier.Classify(_o, cancellationToken);
            FixPlan plan = _plan ?? FixRules.Plan(diagnosis, _o);
            ValidationResult validation = _validation is not null && stoppedBy is null
                ? _validation
                : new ValidationResult(ValidationStatus.Unknown, new JsonObject(), stoppedBy ?? "not validated");
            return new AgentResult
            {
                Diagnosis = diagnosis,
                FixPlan = plan,
                FixResult = _fixResult,
                PostTelemetry = _post,
                Validation = validation,
                AgentTrace = [.. runner.Entries],
                Rounds = RoundsUsed,
                Path = AgentPath.Deterministic,
            };
        }

        private async Task GatherLogsAsync()
        {
            JsonObject service = await Call(FetchServiceLogsTool.ToolName, new JsonObject { ["limit"] = 5000 });
            _o.AddLines(service["lines"] as JsonArray, FetchServiceLogsTool.Source, system: false);
            JsonObject system = await Call(FetchSystemLogsTool.ToolName, new JsonObject { ["limit"] = 5000 });
            _o.AddLines(system["lines"] as JsonArray, "logs/dmesg.log", system: true);
            JsonObject metrics = await Call(FetchPrometheusMetricsTool.ToolName, new JsonObject());
            _samples = metrics["samples"] as JsonArray;
        }

        private JsonArray? _samples;

        private async Task GatherStateAsync()
        {
            _o.Config = Payload(await Call(FetchJsonFileTool.Config, new JsonObject()));
            _o.Runtime = Payload(await Call(FetchJsonFileTool.Runtime, new JsonObject()));
            _o.Gpus = Payload(await Call(FetchJsonFileTool.Gpus, new JsonObject()));
        }

        private async Task AnalyzeAsync()
        {
            var args = new JsonObject();
            if (request.PreTelemetry is not null)
            {
                args["pre_telemetry"] = request.PreTelemetry.DeepClone();
            }

            if (_samples is not null)
            {
                args["samples"] = _samples.DeepClone();
            }

            _o.Analysis = Payload(await Call(AnalyzeMetricsTool.ToolName, args));
            _diagnosis = IncidentClassifier.Classify(_o, token);
            _plan = FixRules.Plan(_diagnosis, _o);
        }

        private async Task SimulateAsync()
        {
            _diagnosis ??= IncidentClassifier.Classify(_o, token);
            _plan ??= FixRules.Plan(_diagnosis, _o);
            var args = new JsonObject { ["current_config"] = _o.Config?.DeepClone() ?? new JsonObject(), ["fix_plan"] = FixRules.ToJson(_plan) };
            _fixResult = Payload(await Call(ApplyFixSimulationTool.ToolName, args));
        }

        private async Task PostTelemetryAsync()
        {
            if (_fixResult?["updated_config"] is not JsonObject updated)
            {
                return;
            }

            JsonObject result = await Call(CollectPostTelemetryTool.ToolName, new JsonObject { ["updated_config"] = updated.DeepClone() });
            _post = result["post_telemetry"] as JsonObject;
            if (_post is not null)
            {
                _post = (JsonObject)_post.DeepClone();
            }
        }

        private async Task ValidateAsync()
        {
            if (request.PreTelemetry is null || _post is null)
            {
                _validation = new ValidationResult(ValidationStatus.Unknown, new JsonObject(), _post is null
                    ? "no post-fix telemetry: the fix could not be simulated or the model has no prediction for it"
                    : "no pre-incident telemetry to compare with");
                return;
            }

            JsonObject result = await Call(ValidateImprovementTool.ToolName, new JsonObject { ["pre"] = request.PreTelemetry.DeepClone(), ["post"] = _post.DeepClone() });
            if (!ToolResult.IsSuccess(result))
            {
                _validation = new ValidationResult(ValidationStatus.Unknown, new JsonObject(), "validate_improvement failed: " + (result["error"]?["message"]?.ToString() ?? "no result"));
                return;
            }

            ValidationStatus status = result["validation_status"]?.ToString() switch
            {
                "improved" => ValidationStatus.Improved,
                "not_improved" => ValidationStatus.NotImproved,
                _ => ValidationStatus.Unknown,
            };
            _validation = new ValidationResult(status, result["deltas"]?.DeepClone() as JsonObject ?? new JsonObject(), result["summary"]?.ToString() ?? string.Empty);
        }

        private Task<JsonObject> Call(string tool, JsonObject args) => runner.CallAsync(RoundsUsed, tool, args, token);

        /// <summary>A successful result without its status field; null for error or no_data.</summary>
        private static JsonObject? Payload(JsonObject result)
        {
            if (!ToolResult.IsSuccess(result))
            {
                return null;
            }

            var copy = (JsonObject)result.DeepClone();
            copy.Remove("status");
            return copy;
        }
    }
}
