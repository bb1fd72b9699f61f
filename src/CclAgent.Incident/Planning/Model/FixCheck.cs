using System.Text.Json.Nodes;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Modeling;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Planning.Model;

/// <summary>
/// A proposed fix put through the tools: apply_fix_simulation (unknown keys and out-of-range values rejected with
/// the reason), collect_post_telemetry from the system model, validate_improvement against the pre telemetry.
/// </summary>
internal static class FixCheck
{
    public static async Task<(JsonObject? FixResult, JsonObject? Post, ValidationResult Validation)> RunAsync(
        Func<string, JsonObject, Task<JsonObject>> call, JsonObject? config, FixPlan plan, JsonObject? pre)
    {
        var applyArgs = new JsonObject { ["current_config"] = config?.DeepClone() ?? new JsonObject(), ["fix_plan"] = FixRules.ToJson(plan) };
        JsonObject? fixResult = Payload(await call(ApplyFixSimulationTool.ToolName, applyArgs));
        if (fixResult?["updated_config"] is not JsonObject updated)
        {
            return (fixResult, null, Unknown("the fix could not be simulated: " + (fixResult is null ? "apply_fix_simulation failed" : "no updated config")));
        }

        JsonObject telemetry = await call(CollectPostTelemetryTool.ToolName, new JsonObject { ["updated_config"] = updated.DeepClone() });
        if (telemetry["post_telemetry"]?.DeepClone() is not JsonObject post)
        {
            return (fixResult, null, Unknown("no post-fix telemetry: the system model has no prediction for this fix"));
        }

        if (pre is null)
        {
            return (fixResult, post, Unknown("no pre-incident telemetry to compare with"));
        }

        JsonObject verdict = await call(ValidateImprovementTool.ToolName, new JsonObject { ["pre"] = pre.DeepClone(), ["post"] = post.DeepClone() });
        if (!ToolResult.IsSuccess(verdict))
        {
            return (fixResult, post, Unknown("validate_improvement failed: " + (verdict["error"]?["message"]?.ToString() ?? "no result")));
        }

        ValidationStatus status = verdict["validation_status"]?.ToString() switch
        {
            "improved" => ValidationStatus.Improved,
            "not_improved" => ValidationStatus.NotImproved,
            _ => ValidationStatus.Unknown,
        };
        return (fixResult, post, new ValidationResult(status, verdict["deltas"]?.DeepClone() as JsonObject ?? new JsonObject(), verdict["summary"]?.ToString() ?? string.Empty));
    }

    private static ValidationResult Unknown(string why) => new(ValidationStatus.Unknown, new JsonObject(), why);

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
