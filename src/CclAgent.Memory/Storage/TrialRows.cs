using CclAgent.Core.Json;
using CclAgent.Core.Steps;
using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>SQL for the trials table.</summary>
internal static class TrialRows
{
    private const string InsertSql = """
        INSERT INTO trials (run_id, step, kind, context_signature, config_json, config_key, iteration_ms, status,
                            failure_class, recorded_at)
        VALUES ($run_id, $step, $kind, $context_signature, $config_json, $config_key, $iteration_ms, $status,
                $failure_class, $recorded_at);
        """;

    private const string SelectSql = """
        SELECT * FROM trials
        WHERE $signature IS NULL OR context_signature = $signature
        ORDER BY recorded_at, step, id;
        """;

    public static void Insert(SqliteConnection connection, TrialRecord trial)
    {
        using SqliteCommand command = connection.Command(InsertSql)
            .With("$run_id", trial.RunId)
            .With("$step", trial.Step)
            .With("$kind", WireName.Of(trial.Kind))
            .With("$context_signature", trial.ContextSignature)
            .With("$config_json", JsonColumns.Config(trial.Config))
            .With("$config_key", trial.ConfigKey)
            .With("$iteration_ms", trial.IterationMs)
            .With("$status", WireName.Of(trial.Status))
            .With("$failure_class", trial.FailureClass)
            .With("$recorded_at", Timestamps.Write(trial.RecordedAt));
        command.ExecuteNonQuery();
    }

    public static List<TrialRecord> InOrder(SqliteConnection connection, string? contextSignature) => InOrder(connection, contextSignature, null);

    public static List<TrialRecord> InOrder(SqliteConnection connection, string? contextSignature, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.Command(SelectSql, transaction).With("$signature", contextSignature);
        return command.Query(Read, "trials");
    }

    private static TrialRecord Read(SqliteDataReader row) => new()
    {
        RunId = row.Text("run_id"),
        Step = row.Int("step"),
        Kind = Parse<StepKind>(row.Text("kind"), "kind"),
        ContextSignature = row.Text("context_signature"),
        Config = JsonColumns.ReadConfig(row.Text("config_json")),
        ConfigKey = row.Text("config_key"),
        IterationMs = row.RealOrNull("iteration_ms"),
        Status = Parse<StepStatus>(row.Text("status"), "status"),
        FailureClass = row.TextOrNull("failure_class"),
        RecordedAt = row.Time("recorded_at"),
    };

    /// <summary>A stored spelling back to its enum; a row this version cannot read is skipped and quarantined with this reason.</summary>
    private static T Parse<T>(string text, string column)
        where T : struct, Enum =>
        WireName.TryParse(text, out T value) ? value : throw new MemoryStoreException($"trials.{column}: '{text}' is not one of {string.Join(", ", WireName.All<T>())}");
}
