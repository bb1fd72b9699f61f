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

    public static List<T> Query<T>(this SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

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
