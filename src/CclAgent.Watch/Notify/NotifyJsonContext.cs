using System.Text.Json.Serialization;

namespace CclAgent.Watch.Notify;

/// <summary>Source-generated JSON for notification bodies.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class NotifyJsonContext : JsonSerializerContext;
