using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>SQL for the avoid_rules table.</summary>
internal static class AvoidRuleRows
{
    private const string WriteSql = """
        INSERT INTO avoid_rules (id, context_signature, features_json, patch_json, patch_key, failure_class, reason,
                                 occurrences, last_seen)
        VALUES ($id, $context_signature, $features_json, $patch_json, $patch_key, $failure_class, $reason,
                $occurrences, $last_seen)
        ON CONFLICT (id) DO UPDATE SET
            context_signature = excluded.context_signature, features_json = excluded.features_json,
            patch_json = excluded.patch_json, patch_key = excluded.patch_key, failure_class = excluded.failure_class,
            reason = excluded.reason, occurrences = excluded.occurrences, last_seen = excluded.last_seen;
        """;

    public static AvoidRuleRecord? Find(SqliteConnection connection, SqliteTransaction transaction, string id)
    {
        using SqliteCommand command = connection.Command("SELECT * FROM avoid_rules WHERE id = $id;", transaction).With("$id", id);
        return command.Query(Read, "avoid_rules").SingleOrDefault();
    }

    public static List<AvoidRuleRecord> All(SqliteConnection connection) => All(connection, null);

    public static List<AvoidRuleRecord> All(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.Command("SELECT * FROM avoid_rules;", transaction);
        return command.Query(Read, "avoid_rules");
    }

    public static void Write(SqliteConnection connection, SqliteTransaction transaction, AvoidRuleRecord rule)
    {
        using SqliteCommand command = connection.Command(WriteSql, transaction)
            .With("$id", rule.Id)
            .With("$context_signature", rule.ContextSignature)
            .With("$features_json", JsonColumns.Features(rule.Features))
            .With("$patch_json", JsonColumns.Config(rule.Patch))
            .With("$patch_key", ConfigKeys.Of(rule.Patch))
            .With("$failure_class", rule.FailureClass)
            .With("$reason", rule.Reason)
            .With("$occurrences", rule.Occurrences)
            .With("$last_seen", Timestamps.Write(rule.LastSeen));
        command.ExecuteNonQuery();
    }

    private static AvoidRuleRecord Read(SqliteDataReader row) => new()
    {
        Id = row.Text("id"),
        ContextSignature = row.Text("context_signature"),
        Features = JsonColumns.ReadFeatures(row.Text("features_json")),
        Patch = JsonColumns.ReadConfig(row.Text("patch_json")),
        FailureClass = row.Text("failure_class"),
        Reason = row.Text("reason"),
        Occurrences = row.Int("occurrences"),
        LastSeen = row.Time("last_seen"),
    };
}
