using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>
/// Rows that cannot be read (invalid JSON, an empty features column, a wrong type) are skipped, so one bad
/// row never breaks every later run, and copied with the reason into the side table <c>quarantine</c> for a
/// person to inspect. The row itself stays where it is: deleting a run would break its trials' foreign key.
/// </summary>
internal static class RowQuarantine
{
    public const string Table = "quarantine";

    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS quarantine (
            table_name TEXT NOT NULL,
            row_id     TEXT NOT NULL,
            reason     TEXT NOT NULL,
            raw        TEXT NOT NULL,
            PRIMARY KEY (table_name, row_id)
        );
        """;

    /// <summary>The row as JSON text, every column as read (blobs as their length), for the quarantine's raw column.</summary>
    public static string Raw(SqliteDataReader row)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < row.FieldCount; i++)
        {
            values[row.GetName(i)] = row.IsDBNull(i) ? null! : row.GetValue(i) switch
            {
                byte[] blob => $"<{blob.Length} bytes>",
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                object other => other.ToString() ?? string.Empty,
            }; // a JSON null for SQL NULL
        }

        return JsonSerializer.Serialize(values, MemoryJsonContext.Default.DictionaryStringString);
    }

    /// <summary>The row's identity: its first column (every table's primary key comes first).</summary>
    public static string RowId(SqliteDataReader row) =>
        row.FieldCount == 0 || row.IsDBNull(0) ? "?" : Convert.ToString(row.GetValue(0), CultureInfo.InvariantCulture) ?? "?";

    /// <summary>Records skipped rows, best effort: a database that cannot take the write still has its rows skipped.</summary>
    public static void Record(SqliteCommand reading, string table, IReadOnlyList<(string RowId, string Reason, string Raw)> rows)
    {
        if (rows.Count == 0 || reading.Connection is not { } connection)
        {
            return;
        }

        try
        {
            connection.Execute(CreateSql, reading.Transaction);
            foreach ((string rowId, string reason, string raw) in rows)
            {
                using SqliteCommand insert = connection.Command("INSERT OR IGNORE INTO quarantine (table_name, row_id, reason, raw) VALUES ($t, $id, $reason, $raw);", reading.Transaction)
                    .With("$t", table).With("$id", rowId).With("$reason", reason).With("$raw", raw);
                insert.ExecuteNonQuery();
            }
        }
        catch (SqliteException)
        {
            // Read-only or busy: the rows are still skipped, and will be quarantined by a later run.
        }
    }

    /// <summary>How many rows are quarantined (0 when the side table does not exist yet).</summary>
    public static long Count(SqliteConnection connection) =>
        connection.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'quarantine';") == 0
            ? 0
            : connection.Scalar("SELECT COUNT(*) FROM quarantine;");
}
