using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Core.Secrets;
using CclAgent.Incident.Classification;

namespace CclAgent.Incident.Planning.Model;

/// <summary>
/// The model's final reply read as a diagnosis and a fix plan. The model proposes, code checks: the category must be
/// one of ours, each action's kind one of config|node|code, and there must be at least one action; any other reply
/// is refused with the reason (the caller then falls back to the deterministic planner). Text is masked on the way in.
/// </summary>
internal sealed record ModelAnswer(IncidentDiagnosis Diagnosis, FixPlan Plan)
{
    public static (ModelAnswer? Answer, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "the model's final reply was empty");
        }

        // Models wrap JSON in prose or code fences: take the outermost object.
        int start = text.IndexOf('{', StringComparison.Ordinal);
        int end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return (null, "the model's final reply holds no JSON object");
        }

        JsonObject? root;
        try
        {
            root = JsonNode.Parse(text[start..(end + 1)]) as JsonObject;
        }
        catch (JsonException ex)
        {
            return (null, $"the model's final reply is not valid JSON: {ex.Message}");
        }

        return root is null ? (null, "the model's final reply is not a JSON object") : Read(root);
    }

    private static (ModelAnswer?, string?) Read(JsonObject root)
    {
        string? category = Text(root["category"]);
        if (category is null || !IncidentCategory.All.Contains(category, StringComparer.Ordinal))
        {
            return (null, $"$.category: '{category}' is not one of the incident categories");
        }

        if (root["fix_plan"]?["actions"] is not JsonArray actionsJson || actionsJson.Count == 0)
        {
            return (null, "$.fix_plan.actions: expected a non-empty array");
        }

        var actions = new List<FixAction>();
        for (int i = 0; i < actionsJson.Count; i++)
        {
            JsonNode? a = actionsJson[i];
            FixActionKind? kind = Text(a?["kind"]) switch { "config" => FixActionKind.Config, "node" => FixActionKind.Node, "code" => FixActionKind.Code, _ => null };
            string? target = Text(a?["target"]);
            if (kind is null || target is null)
            {
                return (null, $"$.fix_plan.actions[{i}]: expected kind config|node|code and a target");
            }

            actions.Add(new FixAction(kind.Value, target, a?["value"]?.DeepClone(), Text(a?["rationale"]) ?? string.Empty));
        }

        var diagnosis = new IncidentDiagnosis
        {
            Category = category,
            RootCause = Text(root["root_cause"]) ?? category,
            Confidence = Math.Clamp(Number(root["confidence"]) ?? 0.5, 0, 1),
            Evidence = Evidence(root["evidence"] as JsonArray),
        };
        return (new ModelAnswer(diagnosis, new FixPlan(actions, Text(root["fix_plan"]?["expected_impact"]) ?? "unknown")), null);
    }

    private static List<EvidenceLine> Evidence(JsonArray? items) =>
        items?.OfType<JsonObject>()
            .Select(e => (Source: Text(e["source"]), Line: Number(e["line"]), Text: Text(e["text"])))
            .Where(e => e.Text is not null)
            .Select(e => new EvidenceLine(e.Source ?? "model", e.Line is double l && l >= 1 ? (int)l : null, e.Text!))
            .Take(12)
            .ToList() ?? [];

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? SecretRedactor.Redact(s.Trim()) : null;

    private static double? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v when v.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) => p,
        _ => null,
    };
}
