using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace CclAgent.Core.Json;

/// <summary>
/// The spelling an enum value has in artifacts and in the memory database: the name given by its
/// <see cref="JsonStringEnumMemberNameAttribute"/>, so the JSON converter and SQLite share one vocabulary
/// defined in one place (on the enum member).
/// </summary>
public static class WireName
{
    private static readonly ConcurrentDictionary<Type, Spellings> Cache = new();

    /// <summary>The value's wire name, e.g. <c>StepStatus.SlaBreach</c> → <c>sla_breach</c>.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum =>
        For(typeof(T)).Names.TryGetValue(value, out string? name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a defined {typeof(T).Name}");

    /// <summary>The value with this wire name; false for a spelling the enum does not define.</summary>
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        if (text is not null && For(typeof(T)).Values.TryGetValue(text, out Enum? found))
        {
            value = (T)found;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Every wire name of the enum, in declaration order (for validation messages).</summary>
    public static IReadOnlyList<string> All<T>()
        where T : struct, Enum => For(typeof(T)).Ordered;

    private static Spellings For(Type type) => Cache.GetOrAdd(type, static t =>
    {
        var names = new Dictionary<Enum, string>();
        var values = new Dictionary<string, Enum>(StringComparer.Ordinal);
        var ordered = new List<string>();
        foreach (FieldInfo field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            string name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
            var value = (Enum)field.GetValue(null)!;
            names[value] = name;
            values[name] = value;
            ordered.Add(name);
        }

        return new Spellings(names, values, ordered);
    });

    private sealed record Spellings(Dictionary<Enum, string> Names, Dictionary<string, Enum> Values, List<string> Ordered);
}
