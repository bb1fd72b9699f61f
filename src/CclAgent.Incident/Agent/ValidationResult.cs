using System.Text.Json.Nodes;
using CclAgent.Incident.Modeling;

namespace CclAgent.Incident.Agent;

/// <summary>The "validation" of the result: verdict, per-metric deltas with their noise bands, a sentence.</summary>
public sealed record ValidationResult(ValidationStatus Status, JsonObject Deltas, string Summary);
