using System.Text.Json.Serialization;

namespace CclAgent.Incident.Agent;

/// <summary>Which planner produced a result.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentPath>))]
public enum AgentPath
{
    [JsonStringEnumMemberName("deterministic")]
    Deterministic,

    [JsonStringEnumMemberName("model")]
    Model,
}
