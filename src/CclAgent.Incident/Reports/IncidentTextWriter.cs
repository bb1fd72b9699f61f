using System.Globalization;
using System.Text;
using CclAgent.Incident.Agent;
using CclAgent.Incident.Classification;
using CclAgent.Incident.Planning;

namespace CclAgent.Incident.Reports;

/// <summary>The result for a person: cause, evidence lines, fix, validation verdict, rounds. Markdown doubles as text.</summary>
public static class IncidentTextWriter
{
    public static string Render(AgentResult result, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        IncidentDiagnosis d = result.Diagnosis;
        Line(text, $"# Incident: {title}");
        Line(text, string.Empty);
        Line(text, $"Cause: {d.Category} (confidence {d.Confidence.ToString("0.00", CultureInfo.InvariantCulture)})");
        Line(text, d.RootCause);
        Line(text, string.Empty);
        Line(text, "## Evidence");
        foreach (EvidenceLine e in d.Evidence)
        {
            Line(text, $"- {e.Source}{(e.Line is int n ? $":{n}" : string.Empty)}: {e.Text}");
        }

        if (d.Evidence.Count == 0)
        {
            Line(text, "- none");
        }

        Line(text, string.Empty);
        Line(text, "## Fix");
        foreach (FixAction a in result.FixPlan.Actions)
        {
            string value = a.Value is null ? string.Empty : $" = {a.Value.ToJsonString()}";
            Line(text, $"- [{a.Kind.ToString().ToLowerInvariant()}] {a.Target}{value}: {a.Rationale}");
        }

        if (result.FixResult?["rejected"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } rejected)
        {
            foreach (var r in rejected)
            {
                Line(text, $"- rejected {r?["target"]}: {r?["reason"]}");
            }
        }

        Line(text, string.Empty);
        string status = result.Validation.Status switch
        {
            Modeling.ValidationStatus.Improved => "improved",
            Modeling.ValidationStatus.NotImproved => "not_improved",
            _ => "unknown",
        };
        Line(text, $"Validation: {status}: {result.Validation.Summary}");
        int failed = result.AgentTrace.Count(t => t.Status == Tools.ToolStatus.Error);
        Line(text, $"Rounds: {result.Rounds} ({result.AgentTrace.Count} tool calls, {failed} failed; path {(result.Path == AgentPath.Model ? "model" : "deterministic")})");
        return text.ToString();
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
