using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Tests.Support;

/// <summary>Direct access to a database file, to check what the store wrote or to plant foreign files.</summary>
internal static class RawSqlite
{
    public static object? Scalar(string path, string sql)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(string path, string sql)
    {
        using SqliteConnection connection = Connect(path);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
