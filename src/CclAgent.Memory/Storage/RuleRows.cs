using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>SQL for the rules table.</summary>
internal static class RuleRows
{
    private const string WriteSql = """
        INSERT INTO rules (id, context_signature, features_json, patch_json, patch_key, effect, support, successes,
                           failures, evidence_json, description, last_seen)
        VALUES ($id, $context_signature, $features_json, $patch_json, $patch_key, $effect, $support, $successes,
                $failures, $evidence_json, $description, $last_seen)
        ON CONFLICT (id) DO UPDATE SET
            context_signature = excluded.context_signature, features_json = excluded.features_json,
            patch_json = excluded.patch_json, patch_key = excluded.patch_key, effect = excluded.effect,
            support = excluded.support, successes = excluded.successes, failures = excluded.failures,
            evidence_json = excluded.evidence_json, description = excluded.description, last_seen = excluded.last_seen;
        """;

    public static RuleRecord? Find(SqliteConnection connection, SqliteTransaction transaction, string id)
    {
        using SqliteCommand command = connection.Command("SELECT * FROM rules WHERE id = $id;", transaction).With("$id", id);
        return command.Query(Read, "rules").SingleOrDefault();
    }

    public static List<RuleRecord> All(SqliteConnection connection) => All(connection, null);

    public static List<RuleRecord> All(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.Command("SELECT * FROM rules;", transaction);
        return command.Query(Read, "rules");
    }

    public static void Write(SqliteConnection connection, SqliteTransaction transaction, RuleRecord rule)
    {
        using SqliteCommand command = connection.Command(WriteSql, transaction)
            .With("$id", rule.Id)
            .With("$context_signature", rule.ContextSignature)
            .With("$features_json", JsonColumns.Features(rule.Features))
            .With("$patch_json", JsonColumns.Config(rule.Patch))
            .With("$patch_key", ConfigKeys.Of(rule.Patch))
            .With("$effect", rule.Effect)
            .With("$support", rule.Support)
            .With("$successes", rule.Successes)
            .With("$failures", rule.Failures)
            .With("$evidence_json", JsonColumns.Strings(rule.Evidence))
            .With("$description", rule.Description)
            .With("$last_seen", Timestamps.Write(rule.LastSeen));
        command.ExecuteNonQuery();
    }

    private static RuleRecord Read(SqliteDataReader row) => new()
    {
        Id = row.Text("id"),
        ContextSignature = row.Text("context_signature"),
        Features = JsonColumns.ReadFeatures(row.Text("features_json")),
        Patch = JsonColumns.ReadConfig(row.Text("patch_json")),
        Effect = row.Real("effect"),
        Support = row.Int("support"),
        Successes = row.Int("successes"),
        Failures = row.Int("failures"),
        Evidence = JsonColumns.ReadStrings(row.Text("evidence_json")),
        Description = row.Text("description"),
        LastSeen = row.Time("last_seen"),
    };
}
