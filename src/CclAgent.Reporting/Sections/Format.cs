using System.Globalization;

namespace CclAgent.Reporting.Sections;

internal static class Format
{
    public static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    public static string Num(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A configuration change without the NCCL_ prefix that every key shares: "ALGO=Ring BUFFSIZE=4194304".</summary>
    public static string Change(IReadOnlyDictionary<string, string> delta) =>
        delta.Count == 0 ? "—" : string.Join(" ", delta.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{Short(kv.Key)}={kv.Value}"));

    public static string Short(string key) => key.StartsWith("NCCL_", StringComparison.Ordinal) ? key[5..] : key;
}
