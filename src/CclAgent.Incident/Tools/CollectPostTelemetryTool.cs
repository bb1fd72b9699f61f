using System.Text.Json.Nodes;
using CclAgent.Incident.Modeling;

namespace CclAgent.Incident.Tools;

/// <summary>collect_post_telemetry: telemetry after the simulated fix, from the system model (never a fixed file).</summary>
internal sealed class CollectPostTelemetryTool(SystemModel model) : IIncidentTool
{
    public const string ToolName = "collect_post_telemetry";

    public string Name => ToolName;

    public string Description => "Predict the service's telemetry after the simulated fix with a queueing model of the system (prefill/decode with batch limits, KV-cache capacity and preemption; node faults persist).";

    public JsonObject ArgsSchema { get; } = ToolSchema.Object(
        ("updated_config", ToolSchema.Of("object", "updated_config from apply_fix_simulation.")));

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<JsonNode>(args["updated_config"] is JsonObject updated
            ? model.Predict(updated)
            : ToolResult.Error("invalid_argument", "updated_config: expected the object apply_fix_simulation returned"));
    }
}
