using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>
/// Opens the database file, checks it is ours, and creates or upgrades the schema. Versioned with
/// PRAGMA user_version; PRAGMA application_id marks the file as a ccl-agent memory so we never
/// add tables to someone else's SQLite database.
/// </summary>
internal static class MemorySchema
{
    public const int Version = 1;

    /// <summary>"CCLA" in ASCII.</summary>
    public const int ApplicationId = 0x43434C41;

    /// <summary>How long a writer waits for another process's write lock before giving up.</summary>
    private const int BusyTimeoutMs = 5000;

    private const string Tables = """
        CREATE TABLE IF NOT EXISTS runs (
            run_id                TEXT PRIMARY KEY,
            context_signature     TEXT NOT NULL,
            features_json         TEXT NOT NULL,
            workload_name         TEXT NOT NULL,
            mode                  TEXT NOT NULL,
            started_at            TEXT NOT NULL,
            finished_at           TEXT,
            baseline_iteration_ms REAL,
            best_iteration_ms     REAL,
            speedup               REAL,
            best_config_json      TEXT NOT NULL,
            best_config_key       TEXT NOT NULL,
            stop_reason           TEXT,
            trials                INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_runs_context ON runs (context_signature);

        CREATE TABLE IF NOT EXISTS trials (
            id                INTEGER PRIMARY KEY,
            run_id            TEXT NOT NULL REFERENCES runs (run_id),
            step              INTEGER NOT NULL,
            kind              TEXT NOT NULL,
            context_signature TEXT NOT NULL,
            config_json       TEXT NOT NULL,
            config_key        TEXT NOT NULL,
            iteration_ms      REAL,
            status            TEXT NOT NULL,
            failure_class     TEXT,
            recorded_at       TEXT NOT NULL,
            UNIQUE (run_id, step, kind)
        );
        CREATE INDEX IF NOT EXISTS ix_trials_context ON trials (context_signature, recorded_at);
        CREATE INDEX IF NOT EXISTS ix_trials_recorded ON trials (recorded_at);

        CREATE TABLE IF NOT EXISTS rules (
            id                TEXT PRIMARY KEY,
            context_signature TEXT NOT NULL,
            features_json     TEXT NOT NULL,
            patch_json        TEXT NOT NULL,
            patch_key         TEXT NOT NULL,
            effect            REAL NOT NULL,
            support           INTEGER NOT NULL,
            successes         INTEGER NOT NULL,
            failures          INTEGER NOT NULL,
            evidence_json     TEXT NOT NULL,
            description       TEXT NOT NULL,
            last_seen         TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_rules_last_seen ON rules (last_seen);

        CREATE TABLE IF NOT EXISTS avoid_rules (
            id                TEXT PRIMARY KEY,
            context_signature TEXT NOT NULL,
            features_json     TEXT NOT NULL,
            patch_json        TEXT NOT NULL,
            patch_key         TEXT NOT NULL,
            failure_class     TEXT NOT NULL,
            reason            TEXT NOT NULL,
            occurrences       INTEGER NOT NULL,
            last_seen         TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_avoid_rules_last_seen ON avoid_rules (last_seen);
        """;

    /// <summary>Opens and prepares a connection; every SQLite failure comes out as <see cref="MemoryStoreException"/>.</summary>
    public static SqliteConnection Open(string fullPath)
    {
        var connection = new SqliteConnection(ConnectionString(fullPath));
        try
        {
            connection.Open();
            Prepare(connection, fullPath);
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Translate(ex, fullPath);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // No pooling: the store holds its one connection for its lifetime, and Dispose must really
    // close the file (tests delete it; other tools may want it).
    private static string ConnectionString(string fullPath) => new SqliteConnectionStringBuilder
    {
        DataSource = fullPath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        ForeignKeys = true,
    }.ToString();

    private static void Prepare(SqliteConnection connection, string fullPath)
    {
        connection.Execute($"PRAGMA busy_timeout = {BusyTimeoutMs};");
        FileState state = Inspect(connection);
        EnsureOurs(state, fullPath);

        // Switch to WAL only once we know the file is ours: never change someone else's database.
        EnableWal(connection, fullPath);
        if (state.UserVersion < Version)
        {
            CreateTables(connection, fullPath);
        }

        // Side tables outside the versioned schema: created on open, ignored by older versions.
        connection.Execute(LivenessRows.CreateSql);
    }

    private static void EnableWal(SqliteConnection connection, string fullPath)
    {
        using SqliteCommand command = connection.Command("PRAGMA journal_mode = WAL;");
        string? mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new MemoryStoreException(
                $"Could not switch the memory database '{fullPath}' to WAL mode (SQLite kept '{mode}'); " +
                "concurrent runs need it. Put the memory on a local file system.");
        }

        // With WAL, NORMAL never corrupts the file; it only risks the last commits on power loss.
        connection.Execute("PRAGMA synchronous = NORMAL;");
    }

    // BEGIN IMMEDIATE serializes creators: two runs opening a new file at once both get here, and the
    // second re-reads the version inside the lock and finds nothing left to do.
    private static void CreateTables(SqliteConnection connection, string fullPath)
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        FileState state = Inspect(connection, transaction);
        EnsureOurs(state, fullPath);
        if (state.UserVersion < Version)
        {
            connection.Execute(Tables, transaction);
            connection.Execute($"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {Version};", transaction);
        }

        transaction.Commit();
    }

    /// <summary>Every column each table must have: a file missing one cannot be used (it was altered by hand or by a tool).</summary>
    private static readonly (string Table, string Columns)[] Expected =
    [
        ("runs", "run_id, context_signature, features_json, workload_name, mode, started_at, finished_at, baseline_iteration_ms, best_iteration_ms, speedup, best_config_json, best_config_key, stop_reason, trials"),
        ("trials", "id, run_id, step, kind, context_signature, config_json, config_key, iteration_ms, status, failure_class, recorded_at"),
        ("rules", "id, context_signature, features_json, patch_json, patch_key, effect, support, successes, failures, evidence_json, description, last_seen"),
        ("avoid_rules", "id, context_signature, features_json, patch_json, patch_key, failure_class, reason, occurrences, last_seen"),
    ];

    /// <summary>
    /// Checks the whole file can be used: SQLite's quick integrity check (an overwritten page) and every
    /// expected table and column. Throws a <see cref="MemoryStoreException"/> with <c>Damaged</c> set.
    /// </summary>
    public static void Verify(SqliteConnection connection, string fullPath)
    {
        try
        {
            using (SqliteCommand check = connection.Command("PRAGMA quick_check(1);"))
            {
                string? result = check.ExecuteScalar() as string;
                if (!string.Equals(result, "ok", StringComparison.Ordinal))
                {
                    throw new MemoryStoreException($"The memory database '{fullPath}' is damaged (integrity check: {result})") { Damaged = true };
                }
            }

            foreach ((string table, string columns) in Expected)
            {
                connection.Execute($"SELECT {columns} FROM {table} LIMIT 0;");
            }
        }
        catch (SqliteException ex)
        {
            throw new MemoryStoreException($"The memory database '{fullPath}' is damaged: {ex.Message}", ex) { Damaged = true };
        }
    }

    private static FileState Inspect(SqliteConnection connection, SqliteTransaction? transaction = null) => new(
        connection.Scalar("PRAGMA application_id;", transaction),
        connection.Scalar("PRAGMA user_version;", transaction),
        connection.Scalar("SELECT COUNT(*) FROM sqlite_master;", transaction));

    private static void EnsureOurs(FileState state, string fullPath)
    {
        bool fresh = state is { ApplicationId: 0, UserVersion: 0, Objects: 0 };
        if (!fresh && state.ApplicationId != ApplicationId)
        {
            throw NotOurs(fullPath, "it is a SQLite database of another application");
        }

        if (state.UserVersion > Version)
        {
            throw new MemoryStoreException(
                $"The memory database '{fullPath}' has schema version {state.UserVersion}, but this ccl-agent " +
                $"understands up to {Version}. Upgrade ccl-agent or pass --memory with another path.");
        }
    }

    private static MemoryStoreException Translate(SqliteException ex, string fullPath) => ex.SqliteErrorCode switch
    {
        SqliteErrors.NotADatabase => NotOurs(fullPath, "SQLite says the file is not a database", ex),
        SqliteErrors.Corrupt => new MemoryStoreException($"The memory database '{fullPath}' is damaged (SQLite says the file is corrupt): {ex.Message}", ex) { Damaged = true },
        _ => new MemoryStoreException($"Could not open the memory database '{fullPath}': {ex.Message}", ex),
    };

    private static MemoryStoreException NotOurs(string fullPath, string why, Exception? inner = null)
    {
        string message = $"'{fullPath}' is not a ccl-agent memory database ({why}). " +
            "Move the file aside or pass --memory with another path.";
        return inner is null ? new MemoryStoreException(message) : new MemoryStoreException(message, inner);
    }

    private readonly record struct FileState(long ApplicationId, long UserVersion, long Objects);
}
