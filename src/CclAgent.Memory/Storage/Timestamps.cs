using System.Globalization;

namespace CclAgent.Memory.Storage;

/// <summary>
/// Times are stored as fixed-width UTC text with tick precision: readable in the sqlite3 shell,
/// exact on round trip, and ordered correctly by plain string comparison in SQL.
/// </summary>
internal static class Timestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Write(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static object WriteOrNull(DateTimeOffset? value) => value is { } time ? Write(time) : DBNull.Value;

    public static DateTimeOffset Read(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
