using Microsoft.Data.Sqlite;

namespace CclAgent.Memory.Storage;

/// <summary>The deletes behind <see cref="MemoryStore.Prune(PruneFilter, bool)"/>: each kind's conditions, AND-ed.</summary>
internal static class PruneRows
{
    private const string OfWorkloadRuns = "run_id IN (SELECT run_id FROM runs WHERE workload_name = $workload)";
    private const string OfWorkloadContexts = "context_signature IN (SELECT context_signature FROM runs WHERE workload_name = $workload)";

    // Confidence as memory list shows it: successes over observations, 0 with none.
    private const string BelowConfidence = "(CASE WHEN successes + failures = 0 THEN 0.0 ELSE successes * 1.0 / (successes + failures) END) < $min_confidence";

    public static int Delete(SqliteConnection connection, SqliteTransaction transaction, PruneFilter filter, string cutoff)
    {
        bool age = filter.OlderThan is not null, workload = filter.Workload is not null, confidence = filter.MinConfidence is not null;
        int deleted = 0;
        if (age || workload)
        {
            deleted += Run(connection, transaction, filter, cutoff, "trials", Conditions((age, "recorded_at < $cutoff"), (workload, OfWorkloadRuns)));
            deleted += Run(connection, transaction, filter, cutoff, "avoid_rules", Conditions((age, "last_seen < $cutoff"), (workload, OfWorkloadContexts)));
        }

        deleted += Run(connection, transaction, filter, cutoff, "rules", Conditions((age, "last_seen < $cutoff"), (workload, OfWorkloadContexts), (confidence, BelowConfidence)));
        return deleted;
    }

    private static string Conditions(params (bool Given, string Sql)[] conditions) =>
        string.Join(" AND ", conditions.Where(c => c.Given).Select(c => c.Sql));

    private static int Run(SqliteConnection connection, SqliteTransaction transaction, PruneFilter filter, string cutoff, string table, string where)
    {
        using SqliteCommand command = connection.Command($"DELETE FROM {table} WHERE {where};", transaction)
            .With("$cutoff", cutoff)
            .With("$workload", filter.Workload)
            .With("$min_confidence", filter.MinConfidence);
        return command.ExecuteNonQuery();
    }
}
