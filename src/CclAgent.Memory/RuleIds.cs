using System.Security.Cryptography;
using System.Text;

using CclAgent.Memory.Storage;

namespace CclAgent.Memory;

/// <summary>
/// Stable ids for rules: the same context and patch always hash to the same id, on any machine,
/// which is what lets concurrent runs merge into one row instead of duplicating it.
/// </summary>
public static class RuleIds
{
    private const int Length = 16;

    public static string Rule(string contextSignature, IReadOnlyDictionary<string, string> patch) =>
        Hash(contextSignature, JsonColumns.Config(patch));

    public static string AvoidRule(string contextSignature, IReadOnlyDictionary<string, string> patch, string failureClass) =>
        Hash(contextSignature, JsonColumns.Config(patch), failureClass);

    // A newline separator keeps ("a", "bc") and ("ab", "c") from hashing alike; signatures never contain one.
    private static string Hash(params string[] parts)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return Convert.ToHexStringLower(digest)[..Length];
    }
}
