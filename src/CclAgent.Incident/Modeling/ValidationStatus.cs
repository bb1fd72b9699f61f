using System.Text.Json.Serialization;

namespace CclAgent.Incident.Modeling;

/// <summary>The verdict of validate_improvement.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ValidationStatus>))]
public enum ValidationStatus
{
    [JsonStringEnumMemberName("improved")]
    Improved,

    [JsonStringEnumMemberName("not_improved")]
    NotImproved,

    [JsonStringEnumMemberName("unknown")]
    Unknown,
}
