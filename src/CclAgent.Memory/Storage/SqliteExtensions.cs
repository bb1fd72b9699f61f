using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>Small helpers that keep the row mapping code free of ordinal and DBNull plumbing.</summary>
internal static class SqliteExtensions
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static long Scalar(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.Command(sql, transaction);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void Execute(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.Command(sql, transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Maps every row; a row <paramref name="map"/> cannot read (bad JSON, a wrong type, an empty column) is
    /// skipped and quarantined (<see cref="RowQuarantine"/>) rather than failing the whole query. SQLite's own
    /// errors (a missing column, a corrupt page) still throw: the database as a whole is unusable then.
    /// </summary>
    public static List<T> Query<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, string table)
    {
        var rows = new List<T>();
        var skipped = new List<(string RowId, string Reason, string Raw)>();
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                try
                {
                    rows.Add(map(reader));
                }
                catch (Exception ex) when (ex is not SqliteException and (MemoryStoreException or System.Text.Json.JsonException or FormatException or InvalidCastException or ArgumentException or InvalidOperationException or OverflowException or NullReferenceException or KeyNotFoundException))
                {
                    skipped.Add((RowQuarantine.RowId(reader), $"{ex.GetType().Name}: {ex.Message}", RowQuarantine.Raw(reader)));
                }
            }
        }

        RowQuarantine.Record(command, table, skipped);
        return rows;
    }

    public static string Text(this SqliteDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    public static string? TextOrNull(this SqliteDataReader reader, string column)
    {
        int ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static int Int(this SqliteDataReader reader, string column) => reader.GetInt32(reader.GetOrdinal(column));

    public static double Real(this SqliteDataReader reader, string column) => reader.GetDouble(reader.GetOrdinal(column));

    public static double? RealOrNull(this SqliteDataReader reader, string column)
    {
        int ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
    }

    public static DateTimeOffset Time(this SqliteDataReader reader, string column) => Timestamps.Read(reader.Text(column));

    public static DateTimeOffset? TimeOrNull(this SqliteDataReader reader, string column) =>
        reader.TextOrNull(column) is { } text ? Timestamps.Read(text) : null;
}
