using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Incident.Modeling;

namespace CclAgent.Incident.Tools;

/// <summary>
/// apply_fix_simulation: applies a fix plan to a copy of the configuration. Code checks what the planner (or a
/// model) proposed: a config action must name a key that exists and a value in range, else it is rejected with
/// the reason; node and code actions are recorded, since no configuration carries them.
/// </summary>
internal sealed class ApplyFixSimulationTool : IIncidentTool
{
    public const string ToolName = "apply_fix_simulation";

    public string Name => ToolName;

    public string Description => "Apply a fix plan {actions:[{kind: config|node|code, target, value, rationale}], expected_impact} to a copy of the current config (nothing real changes); returns the updated config, the diff and every rejected action with its reason.";

    public JsonObject ArgsSchema { get; } = ToolSchema.Object(
        ("current_config", ToolSchema.Of("object", "The config as returned by fetch_config ({config, runtime, version}).")),
        ("fix_plan", ToolSchema.Of("object", "{actions:[{kind, target, value, rationale}], expected_impact}.")));

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (args["fix_plan"] is not JsonObject plan || plan["actions"] is not JsonArray actions)
        {
            return Task.FromResult<JsonNode>(ToolResult.Error("invalid_argument", "fix_plan.actions: expected an array of actions"));
        }

        var updated = args["current_config"] is JsonObject current ? (JsonObject)current.DeepClone() : new JsonObject();
        updated.Remove("status");
        var diff = new JsonArray();
        var rejected = new JsonArray();
        var nodeActions = new JsonArray();
        int index = 0;
        foreach (JsonNode? node in actions)
        {
            string at = $"fix_plan.actions[{index++}]";
            if (node is not JsonObject action)
            {
                rejected.Add(Rejection(at, "expected an object"));
                continue;
            }

            string kind = action["kind"]?.ToString() ?? string.Empty;
            string target = action["target"]?.ToString() ?? string.Empty;
            if (kind is "node" or "code")
            {
                nodeActions.Add(action.DeepClone());
                continue;
            }

            if (kind != "config")
            {
                rejected.Add(Rejection(target.Length > 0 ? target : at, $"kind '{kind}' is not one of config, node, code"));
                continue;
            }

            if (Apply(updated, target, action["value"]) is string reason)
            {
                rejected.Add(Rejection(target, reason));
            }
            else
            {
                diff.Add(new JsonObject { ["target"] = target, ["from"] = Find(args["current_config"] as JsonObject, target)?.DeepClone(), ["to"] = action["value"]?.DeepClone() });
            }
        }

        return Task.FromResult<JsonNode>(ToolResult.Success(new JsonObject
        {
            ["updated_config"] = updated,
            ["diff"] = diff,
            ["rejected"] = rejected,
            ["node_actions"] = nodeActions,
            ["expected_impact"] = plan["expected_impact"]?.DeepClone(),
        }));
    }

    /// <summary>Null when set; else why the change is refused (unknown key, wrong type, out of range).</summary>
    private static string? Apply(JsonObject config, string target, JsonNode? value)
    {
        (JsonObject? section, string key) = Locate(config, target);
        if (section is null || !section.ContainsKey(key))
        {
            return $"'{target}' is not a key of the current config";
        }

        JsonNode? existing = section[key];
        if (existing is JsonValue e && e.GetValueKind() == JsonValueKind.Number)
        {
            if (ToolArgs.Number(value) is not double number)
            {
                return $"value {value?.ToJsonString() ?? "null"} is not a number";
            }

            if (ConfigLimits.Check(key, number) is string problem)
            {
                return problem;
            }

            section[key] = number;
            return null;
        }

        if (value is null || value.GetValueKind() != existing?.GetValueKind())
        {
            return $"value {value?.ToJsonString() ?? "null"} has a different type than the current {existing?.ToJsonString() ?? "null"}";
        }

        section[key] = value.DeepClone();
        return null;
    }

    internal static JsonNode? Find(JsonObject? config, string target)
    {
        (JsonObject? section, string key) = Locate(config, target);
        return section?[key];
    }

    /// <summary>"config.x" and "runtime.x" name a section; a bare key is looked up in config, then runtime.</summary>
    private static (JsonObject? Section, string Key) Locate(JsonObject? config, string target)
    {
        int dot = target.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && target[..dot] is "config" or "runtime")
        {
            return (config?[target[..dot]] as JsonObject, target[(dot + 1)..]);
        }

        JsonObject? inConfig = config?["config"] as JsonObject;
        return inConfig?.ContainsKey(target) == true ? (inConfig, target) : (config?["runtime"] as JsonObject, target);
    }

    private static JsonObject Rejection(string target, string reason) => new() { ["target"] = target, ["reason"] = reason };
}
