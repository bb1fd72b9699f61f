using System.Text.Json.Serialization;

namespace CclAgent.Incident.Planning;

/// <summary>Who carries a fix out: a config change (simulated here), an operator's node action, or a code change.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FixActionKind>))]
public enum FixActionKind
{
    [JsonStringEnumMemberName("config")]
    Config,

    [JsonStringEnumMemberName("node")]
    Node,

    [JsonStringEnumMemberName("code")]
    Code,
}
