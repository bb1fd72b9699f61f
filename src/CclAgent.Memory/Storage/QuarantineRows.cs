using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>Reads the quarantine side table.</summary>
internal static class QuarantineRows
{
    public static List<QuarantinedRow> All(SqliteConnection connection) => All(connection, null);

    public static List<QuarantinedRow> All(SqliteConnection connection, SqliteTransaction? transaction)
    {
        if (connection.Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'quarantine';", transaction) == 0)
        {
            return [];
        }

        using SqliteCommand command = connection.Command("SELECT table_name, row_id, reason, raw FROM quarantine ORDER BY table_name, row_id;", transaction);
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new List<QuarantinedRow>();
        while (reader.Read())
        {
            rows.Add(new QuarantinedRow { Table = reader.GetString(0), RowId = reader.GetString(1), Reason = reader.GetString(2), Raw = reader.GetString(3) });
        }

        return rows;
    }
}
