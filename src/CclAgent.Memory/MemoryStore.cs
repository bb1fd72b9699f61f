using CclAgent.Core.Context;
using CclAgent.Memory.Storage;

using Microsoft.Data.Sqlite;

namespace CclAgent.Memory;

/// <summary>
/// The agent's cross-run memory: runs, trials, learned rules and avoid-rules in one SQLite file.
/// WAL mode and a busy timeout let several runs (processes) read and write the file at once; within a
/// process the store is thread-safe. Every method is synchronous: SQLite is local and fast.
/// </summary>
public sealed class MemoryStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private bool _disposed;

    private MemoryStore(SqliteConnection connection, string path, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        FilePath = path;
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>Opens (creating if missing) the memory at <paramref name="path"/>, and its directory.</summary>
    /// <exception cref="MemoryStoreException">The file is not a ccl-agent memory database, or cannot be opened.</exception>
    public static MemoryStore Open(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(time);
        string fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        return new MemoryStore(MemorySchema.Open(fullPath), fullPath, time);
    }

    /// <summary>
    /// Checks that the whole database can be used (integrity, every table and column); a row-level problem
    /// is not checked here, since such rows are skipped and quarantined as they are read.
    /// </summary>
    /// <exception cref="MemoryStoreException">The database is damaged (<see cref="MemoryStoreException.Damaged"/>).</exception>
    public void Verify() => Locked(connection => MemorySchema.Verify(connection, FilePath));

    /// <summary>Rows skipped because they could not be read, as listed in the database's <c>quarantine</c> table.</summary>
    public long QuarantinedRows() => Locked(RowQuarantine.Count);

    /// <summary>
    /// Reads every row of every table, so that each unreadable one is quarantined (in one write transaction:
    /// the side table gets all of them or none), and returns the whole quarantine.
    /// </summary>
    public IReadOnlyList<QuarantinedRow> VerifyRows()
    {
        Verify();
        return InWriteTransaction((connection, transaction) =>
        {
            _ = RunRows.NewestFirst(connection, null, transaction);
            _ = TrialRows.InOrder(connection, null, transaction);
            _ = RuleRows.All(connection, transaction);
            _ = AvoidRuleRows.All(connection, transaction);
            return QuarantineRows.All(connection, transaction);
        });
    }

    /// <summary>Every quarantined row.</summary>
    public IReadOnlyList<QuarantinedRow> Quarantined() => Locked(QuarantineRows.All);

    /// <summary>Every readable rule.</summary>
    public IReadOnlyList<RuleRecord> Rules() => Locked(connection => RuleRows.All(connection));

    /// <summary>Every readable avoid-rule.</summary>
    public IReadOnlyList<AvoidRuleRecord> AllAvoidRules() => Locked(connection => AvoidRuleRows.All(connection));

    /// <summary>Inserts the run, or replaces the stored one with the same run id.</summary>
    public void RecordRun(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.RunId, nameof(run));
        Locked(connection => RunRows.Upsert(connection, run));
    }

    /// <summary>Records which process on which host runs <paramref name="runId"/>; its heartbeat starts now and moves with every trial.</summary>
    public void RecordLiveness(string runId, string host, int pid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        Locked(connection => LivenessRows.Upsert(connection, new RunLiveness { RunId = runId, Host = host, Pid = pid, HeartbeatAt = _time.GetUtcNow() }));
    }

    /// <summary>The liveness of every run that recorded one, by run id.</summary>
    public IReadOnlyDictionary<string, RunLiveness> Liveness() => Locked(LivenessRows.All);

    /// <summary>Inserts a trial of a recorded run; a left-default <see cref="TrialRecord.RecordedAt"/> becomes now.</summary>
    /// <exception cref="InvalidOperationException">The run is not recorded, or this (run, step, kind) already is.</exception>
    public void RecordTrial(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        TrialValidation.Check(trial);
        TrialRecord stamped = trial.RecordedAt == default ? trial with { RecordedAt = _time.GetUtcNow() } : trial;
        try
        {
            Locked(connection =>
            {
                TrialRows.Insert(connection, stamped);
                // The heartbeat: a run that records trials is alive.
                LivenessRows.Beat(connection, stamped.RunId, stamped.RecordedAt);
            });
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteErrors.ConstraintUnique)
        {
            throw new InvalidOperationException(
                $"Trial '{trial.Kind}' at step {trial.Step} of run '{trial.RunId}' is already recorded.", ex);
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteErrors.ConstraintForeignKey)
        {
            throw new InvalidOperationException(
                $"Run '{trial.RunId}' is not recorded; call RecordRun before recording its trials.", ex);
        }
    }

    /// <summary>
    /// Writes a consistent copy of the whole memory to <paramref name="path"/> (SQLite's VACUUM INTO, through a temporary
    /// file and a rename, so a reader never sees half a copy): what a run read, kept for <c>replay</c>. Returns false,
    /// writing nothing, when the memory holds no row at all.
    /// </summary>
    public bool SnapshotTo(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Stats() is { Runs: 0, Trials: 0, Rules: 0, AvoidRules: 0 })
        {
            return false;
        }

        string temporary = path + ".tmp";
        File.Delete(temporary);
        Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO $path;";
            command.Parameters.AddWithValue("$path", temporary);
            return command.ExecuteNonQuery();
        });
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    /// <summary>
    /// Deletes the trials of one run; <c>tune --resume</c> records them again as it replays the run, so a trial the
    /// interrupted run recorded after its last step file was written is not counted twice. Returns the number deleted.
    /// </summary>
    public int ForgetTrials(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return Locked(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM trials WHERE run_id = $run_id;";
            command.Parameters.AddWithValue("$run_id", runId);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>
    /// Records one observation of a rule. The first creates it with support 1; later ones (same context
    /// signature and patch) add successes and failures, average the effect, append evidence and refresh
    /// last_seen. Returns the rule as now stored.
    /// </summary>
    public RuleRecord UpsertRule(RuleRecord rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Patch.Count == 0 || !double.IsFinite(rule.Effect))
        {
            throw new ArgumentException("A rule needs a non-empty patch and a finite effect.", nameof(rule));
        }

        string id = rule.Id.Length > 0 ? rule.Id : RuleIds.Rule(rule.ContextSignature, rule.Patch);
        return InWriteTransaction((connection, transaction) =>
        {
            DateTimeOffset now = _time.GetUtcNow();
            RuleRecord? stored = RuleRows.Find(connection, transaction, id);
            RuleRecord merged = stored is null ? RuleMerge.First(rule, id, now) : RuleMerge.Merge(stored, rule, now);
            RuleRows.Write(connection, transaction, merged);
            return merged;
        });
    }

    /// <summary>
    /// Merges a rule from another memory with its counts kept (support, successes, failures, effect, last seen), where
    /// <see cref="UpsertRule"/> would count it as one new observation. A rule whose runs are all cited here already is
    /// a duplicate and changes nothing.
    /// </summary>
    public RuleImport ImportRule(RuleRecord rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        string id = rule.Id.Length > 0 ? rule.Id : RuleIds.Rule(rule.ContextSignature, rule.Patch);
        return InWriteTransaction((connection, transaction) =>
        {
            RuleRecord? stored = RuleRows.Find(connection, transaction, id);
            if (stored is null)
            {
                RuleRows.Write(connection, transaction, rule with { Id = id });
                return RuleImport.Added;
            }

            if (RuleMerge.Absorb(stored, rule) is not { } merged)
            {
                return RuleImport.Duplicate;
            }

            RuleRows.Write(connection, transaction, merged);
            return RuleImport.Merged;
        });
    }

    /// <summary>
    /// Records that a patch failed in a context. The same context, patch and failure class again
    /// increments occurrences and refreshes last_seen. Returns the avoid-rule as now stored.
    /// </summary>
    public AvoidRuleRecord RecordAvoidRule(AvoidRuleRecord rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentException.ThrowIfNullOrWhiteSpace(rule.FailureClass, nameof(rule));
        string id = rule.Id.Length > 0 ? rule.Id : RuleIds.AvoidRule(rule.ContextSignature, rule.Patch, rule.FailureClass);
        return InWriteTransaction((connection, transaction) =>
        {
            DateTimeOffset now = _time.GetUtcNow();
            AvoidRuleRecord? stored = AvoidRuleRows.Find(connection, transaction, id);
            AvoidRuleRecord merged = stored is null ? RuleMerge.First(rule, id, now) : RuleMerge.Merge(stored, rule, now);
            AvoidRuleRows.Write(connection, transaction, merged);
            return merged;
        });
    }

    /// <summary>Trials, all or of one context signature, in the order they were recorded.</summary>
    public IReadOnlyList<TrialRecord> Trials(string? contextSignature = null) =>
        Locked(connection => TrialRows.InOrder(connection, contextSignature));

    /// <summary>Runs, all or of one context signature, newest first.</summary>
    public IReadOnlyList<RunRecord> Runs(string? contextSignature = null) =>
        Locked(connection => RunRows.NewestFirst(connection, contextSignature));

    /// <summary>
    /// The best <paramref name="limit"/> rules from contexts at least <paramref name="minSimilarity"/>
    /// similar, scored by similarity × recency × success rate.
    /// </summary>
    public IReadOnlyList<ScoredRule> RetrieveRules(ContextFeatures context, int limit, double minSimilarity = 0.5)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        DateTimeOffset now = _time.GetUtcNow();
        return Locked(RuleRows.All)
            .Select(rule => (rule, similarity: context.Similarity(rule.Features)))
            .Where(candidate => candidate.similarity >= minSimilarity)
            .Select(candidate => RuleScoring.Score(candidate.rule, candidate.similarity, now))
            .OrderByDescending(scored => scored.Score)
            .ThenBy(scored => scored.Rule.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    /// <summary>Avoid-rules from contexts at least <paramref name="minSimilarity"/> similar, most similar first.</summary>
    public IReadOnlyList<ScoredAvoidRule> AvoidRules(ContextFeatures context, double minSimilarity = 0.8)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Locked(AvoidRuleRows.All)
            .Select(rule => new ScoredAvoidRule { Rule = rule, Similarity = context.Similarity(rule.Features) })
            .Where(scored => scored.Similarity >= minSimilarity)
            .OrderByDescending(scored => scored.Similarity)
            .ThenByDescending(scored => scored.Rule.Occurrences)
            .ThenBy(scored => scored.Rule.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The finished run whose context is most similar to <paramref name="context"/> (at least
    /// <paramref name="minSimilarity"/>), for a warm start; ties go to the best speedup, then the newest.
    /// </summary>
    public SimilarRun? BestRun(ContextFeatures context, double minSimilarity)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Locked(RunRows.Finished)
            .Select(run => new SimilarRun { Run = run, Similarity = context.Similarity(run.Features) })
            .Where(candidate => candidate.Similarity >= minSimilarity)
            .OrderByDescending(candidate => candidate.Similarity)
            .ThenByDescending(candidate => candidate.Run.Speedup ?? double.NegativeInfinity)
            .ThenByDescending(candidate => candidate.Run.StartedAt)
            .FirstOrDefault();
    }

    public MemoryStats Stats() => Locked(connection => new MemoryStats
    {
        Runs = (int)connection.Scalar("SELECT COUNT(*) FROM runs;"),
        Trials = (int)connection.Scalar("SELECT COUNT(*) FROM trials;"),
        Rules = (int)connection.Scalar("SELECT COUNT(*) FROM rules;"),
        AvoidRules = (int)connection.Scalar("SELECT COUNT(*) FROM avoid_rules;"),
    });

    /// <summary>
    /// Deletes trials recorded, and rules and avoid-rules last seen, more than <paramref name="olderThan"/>
    /// ago. Runs are kept: they are small and seed warm starts. Returns the number of rows deleted.
    /// </summary>
    public int Prune(TimeSpan olderThan) => Prune(new PruneFilter { OlderThan = olderThan });

    /// <summary>As <see cref="Prune(PruneFilter, bool)"/> by age alone.</summary>
    public int Prune(TimeSpan olderThan, bool dryRun) => Prune(new PruneFilter { OlderThan = olderThan }, dryRun);

    /// <summary>
    /// Deletes the rows that match every filter of <paramref name="filter"/> that applies to their kind; a kind no
    /// given filter applies to is kept (so <c>--min-confidence</c> alone deletes rules only). Runs are kept: they are
    /// small and seed warm starts. With <paramref name="dryRun"/> the deletes are counted and rolled back.
    /// </summary>
    public int Prune(PruneFilter filter, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate();
        string cutoff = Timestamps.Write(filter.OlderThan is { } age ? _time.GetUtcNow() - age : DateTimeOffset.MaxValue);
        return InWriteTransaction((connection, transaction) => PruneRows.Delete(connection, transaction, filter, cutoff), commit: !dryRun);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private T Locked<T>(Func<SqliteConnection, T> action)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return action(_connection);
        }
    }

    private void Locked(Action<SqliteConnection> action) => Locked(connection =>
    {
        action(connection);
        return true;
    });

    // BEGIN IMMEDIATE takes the write lock before the read: a deferred transaction that reads and then
    // writes can fail with SQLITE_BUSY_SNAPSHOT when another process commits in between, and busy_timeout
    // cannot wait that out.
    private T InWriteTransaction<T>(Func<SqliteConnection, SqliteTransaction, T> action, bool commit = true) => Locked(connection =>
    {
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        T result = action(connection, transaction);
        if (commit)
        {
            transaction.Commit();
        }

        return result;
    });
}
