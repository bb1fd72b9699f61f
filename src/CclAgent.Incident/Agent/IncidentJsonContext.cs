using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CclAgent.Incident.Agent;

/// <summary>Source-generated JSON for the incident result and tool payloads (snake_case).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(AgentResult))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(ModelView))]
[JsonSerializable(typeof(string))]
public sealed partial class IncidentJsonContext : JsonSerializerContext;
