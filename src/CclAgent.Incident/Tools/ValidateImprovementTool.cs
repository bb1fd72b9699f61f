using System.Text.Json.Nodes;
using CclAgent.Incident.Modeling;

namespace CclAgent.Incident.Tools;

/// <summary>validate_improvement: pre vs post telemetry with measurement noise; it is never given the expected impact.</summary>
internal sealed class ValidateImprovementTool : IIncidentTool
{
    public const string ToolName = "validate_improvement";

    public string Name => ToolName;

    public string Description => "Compare pre-incident and post-fix telemetry with the measurement noise of each metric; returns validation_status improved|not_improved|unknown, per-metric deltas and a summary.";

    public JsonObject ArgsSchema { get; } = ToolSchema.Object(
        ("pre", ToolSchema.Of("object", "Pre-incident telemetry.")),
        ("post", ToolSchema.Of("object", "post_telemetry from collect_post_telemetry.")));

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<JsonNode>(ImprovementValidator.Validate(args["pre"] as JsonObject, args["post"] as JsonObject));
    }
}
