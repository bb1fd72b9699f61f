using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>
/// SQL for the <c>run_liveness</c> side table. A side table rather than new columns of <c>runs</c>: a memory file stays
/// readable by an older ccl-agent (which ignores the table), and the table is created on open, with no schema upgrade.
/// </summary>
internal static class LivenessRows
{
    public const string CreateSql = """
        CREATE TABLE IF NOT EXISTS run_liveness (
            run_id       TEXT PRIMARY KEY,
            host         TEXT NOT NULL,
            pid          INTEGER NOT NULL,
            heartbeat_at TEXT NOT NULL
        );
        """;

    private const string UpsertSql = """
        INSERT INTO run_liveness (run_id, host, pid, heartbeat_at) VALUES ($run_id, $host, $pid, $heartbeat_at)
        ON CONFLICT (run_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, heartbeat_at = excluded.heartbeat_at;
        """;

    public static void Upsert(SqliteConnection connection, RunLiveness liveness)
    {
        using SqliteCommand command = connection.Command(UpsertSql)
            .With("$run_id", liveness.RunId)
            .With("$host", liveness.Host)
            .With("$pid", liveness.Pid)
            .With("$heartbeat_at", Timestamps.Write(liveness.HeartbeatAt));
        command.ExecuteNonQuery();
    }

    /// <summary>Moves the heartbeat of a run that has a liveness row; a run without one is left alone.</summary>
    public static void Beat(SqliteConnection connection, string runId, DateTimeOffset at)
    {
        using SqliteCommand command = connection.Command("UPDATE run_liveness SET heartbeat_at = $at WHERE run_id = $run_id AND heartbeat_at < $at;")
            .With("$run_id", runId)
            .With("$at", Timestamps.Write(at));
        command.ExecuteNonQuery();
    }

    public static Dictionary<string, RunLiveness> All(SqliteConnection connection)
    {
        using SqliteCommand command = connection.Command("SELECT run_id, host, pid, heartbeat_at FROM run_liveness;");
        return command.Query(Read, "run_liveness").ToDictionary(l => l.RunId, StringComparer.Ordinal);
    }

    private static RunLiveness Read(SqliteDataReader row) => new()
    {
        RunId = row.Text("run_id"),
        Host = row.Text("host"),
        Pid = row.Int("pid"),
        HeartbeatAt = row.Time("heartbeat_at"),
    };
}
