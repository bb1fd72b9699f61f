using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>SQL for the runs table.</summary>
internal static class RunRows
{
    // ON CONFLICT DO UPDATE rather than INSERT OR REPLACE: REPLACE deletes the row first, which the
    // trials' foreign key would refuse.
    private const string UpsertSql = """
        INSERT INTO runs (run_id, context_signature, features_json, workload_name, mode, started_at, finished_at,
                          baseline_iteration_ms, best_iteration_ms, speedup, best_config_json, best_config_key,
                          stop_reason, trials)
        VALUES ($run_id, $context_signature, $features_json, $workload_name, $mode, $started_at, $finished_at,
                $baseline_iteration_ms, $best_iteration_ms, $speedup, $best_config_json, $best_config_key,
                $stop_reason, $trials)
        ON CONFLICT (run_id) DO UPDATE SET
            context_signature = excluded.context_signature, features_json = excluded.features_json,
            workload_name = excluded.workload_name, mode = excluded.mode, started_at = excluded.started_at,
            finished_at = excluded.finished_at, baseline_iteration_ms = excluded.baseline_iteration_ms,
            best_iteration_ms = excluded.best_iteration_ms, speedup = excluded.speedup,
            best_config_json = excluded.best_config_json, best_config_key = excluded.best_config_key,
            stop_reason = excluded.stop_reason, trials = excluded.trials;
        """;

    private const string SelectSql = "SELECT * FROM runs";

    public static void Upsert(SqliteConnection connection, RunRecord run)
    {
        using SqliteCommand command = connection.Command(UpsertSql)
            .With("$run_id", run.RunId)
            .With("$context_signature", run.ContextSignature)
            .With("$features_json", JsonColumns.Features(run.Features))
            .With("$workload_name", run.WorkloadName)
            .With("$mode", run.Mode)
            .With("$started_at", Timestamps.Write(run.StartedAt))
            .With("$finished_at", Timestamps.WriteOrNull(run.FinishedAt))
            .With("$baseline_iteration_ms", run.BaselineIterationMs)
            .With("$best_iteration_ms", run.BestIterationMs)
            .With("$speedup", run.Speedup)
            .With("$best_config_json", JsonColumns.Config(run.BestConfig))
            .With("$best_config_key", ConfigKeys.Of(run.BestConfig))
            .With("$stop_reason", run.StopReason)
            .With("$trials", run.Trials);
        command.ExecuteNonQuery();
    }

    public static List<RunRecord> NewestFirst(SqliteConnection connection, string? contextSignature) => NewestFirst(connection, contextSignature, null);

    public static List<RunRecord> NewestFirst(SqliteConnection connection, string? contextSignature, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.Command(
            $"{SelectSql} WHERE $signature IS NULL OR context_signature = $signature ORDER BY started_at DESC, run_id DESC;", transaction)
            .With("$signature", contextSignature);
        return command.Query(Read, "runs");
    }

    public static List<RunRecord> Finished(SqliteConnection connection)
    {
        using SqliteCommand command = connection.Command($"{SelectSql} WHERE finished_at IS NOT NULL;");
        return command.Query(Read, "runs");
    }

    private static RunRecord Read(SqliteDataReader row) => new()
    {
        RunId = row.Text("run_id"),
        ContextSignature = row.Text("context_signature"),
        Features = JsonColumns.ReadFeatures(row.Text("features_json")),
        WorkloadName = row.Text("workload_name"),
        Mode = row.Text("mode"),
        StartedAt = row.Time("started_at"),
        FinishedAt = row.TimeOrNull("finished_at"),
        BaselineIterationMs = row.RealOrNull("baseline_iteration_ms"),
        BestIterationMs = row.RealOrNull("best_iteration_ms"),
        Speedup = row.RealOrNull("speedup"),
        BestConfig = JsonColumns.ReadConfig(row.Text("best_config_json")),
        StopReason = row.TextOrNull("stop_reason"),
        Trials = row.Int("trials"),
    };
}
