using System.Text.Json.Serialization;

using CclAgent.Core.Context;

namespace CclAgent.Memory;

/// <summary>
/// Source-generated JSON for the columns memory stores as JSON. Read-only properties (such as
/// <see cref="ContextFeatures.Signature"/>) are left out: they are derived, and storing them would
/// let the stored copy disagree with the code that derives them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    IgnoreReadOnlyProperties = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ContextFeatures))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class MemoryJsonContext : JsonSerializerContext;
