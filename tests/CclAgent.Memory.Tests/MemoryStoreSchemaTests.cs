using CclAgent.Core.Context;
using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class MemoryStoreSchemaTests : IDisposable
{
    private readonly TestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public void Opening_a_missing_file_creates_its_directory_and_an_empty_versioned_schema()
    {
        MemoryStats stats = _bed.Store.Stats();

        Assert.True(File.Exists(_bed.DatabasePath));
        Assert.Equal(new MemoryStats { Runs = 0, Trials = 0, Rules = 0, AvoidRules = 0 }, stats);
        Assert.Equal(1L, RawSqlite.Scalar(_bed.DatabasePath, "PRAGMA user_version;"));
        Assert.Equal(_bed.DatabasePath, _bed.Store.FilePath);
    }

    [Fact]
    public void The_database_is_in_wal_mode()
    {
        _ = _bed.Store;

        Assert.Equal("wal", RawSqlite.Scalar(_bed.DatabasePath, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Reopening_the_file_keeps_everything_recorded_before()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));
        _bed.Store.RecordTrial(Records.Trial("run-1", 0));
        _bed.Store.UpsertRule(Records.Rule(Contexts.A40Pcie));
        _bed.Store.RecordAvoidRule(Records.Avoid(Contexts.A40Pcie));

        MemoryStore reopened = _bed.Reopen();

        Assert.Equal(new MemoryStats { Runs = 1, Trials = 1, Rules = 1, AvoidRules = 1 }, reopened.Stats());
        Assert.Equal(Contexts.A40Pcie, reopened.Runs().Single().Features);
    }

    [Fact]
    public void A_garbage_file_is_reported_as_not_a_memory_database()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_bed.DatabasePath)!);
        File.WriteAllText(_bed.DatabasePath, string.Concat(Enumerable.Repeat("this is not a database\n", 200)));

        var error = Assert.Throws<MemoryStoreException>(_bed.Open);

        Assert.Contains(_bed.DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a ccl-agent memory database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_applications_sqlite_database_is_refused_and_left_untouched()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_bed.DatabasePath)!);
        RawSqlite.Execute(_bed.DatabasePath, "CREATE TABLE users (name TEXT);");

        var error = Assert.Throws<MemoryStoreException>(_bed.Open);

        Assert.Contains("not a ccl-agent memory database", error.Message, StringComparison.Ordinal);
        Assert.Equal("delete", RawSqlite.Scalar(_bed.DatabasePath, "PRAGMA journal_mode;"));
        Assert.Equal(1L, RawSqlite.Scalar(_bed.DatabasePath, "SELECT COUNT(*) FROM sqlite_master;"));
    }

    [Fact]
    public void A_database_from_a_newer_schema_version_is_refused()
    {
        _bed.Store.Dispose();
        RawSqlite.Execute(_bed.DatabasePath, "PRAGMA user_version = 99;");

        var error = Assert.Throws<MemoryStoreException>(_bed.Open);

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Features_are_stored_as_snake_case_json_without_the_derived_signature()
    {
        _bed.Store.RecordRun(Records.Run("run-1"));

        string json = (string)RawSqlite.Scalar(_bed.DatabasePath, "SELECT features_json FROM runs;")!;

        Assert.Contains("\"gpu_generation\":\"ampere\"", json, StringComparison.Ordinal);
        Assert.Contains("\"dominant_size_log2\":26", json, StringComparison.Ordinal);
        Assert.DoesNotContain("signature", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_stored_before_the_collective_mix_still_loads_and_is_never_similar_enough_to_warm_start()
    {
        _bed.Store.RecordRun(Records.Finished("old", Contexts.A40Pcie, 1.3, TestBed.Start));
        string json = (string)RawSqlite.Scalar(_bed.DatabasePath, "SELECT features_json FROM runs;")!;
        string old = System.Text.RegularExpressions.Regex.Replace(json, ",\"mix\":\\[.*\\]", string.Empty);
        old.Should().NotContain("mix");
        RawSqlite.Execute(_bed.DatabasePath, $"UPDATE runs SET features_json = '{old}';");

        RunRecord loaded = _bed.Store.Runs().Single();

        loaded.Features.Mix.Should().BeNull();
        Contexts.A40Pcie.Similarity(loaded.Features).Should().Be(ContextFeatures.UnknownMixCap);
        _bed.Store.BestRun(Contexts.A40Pcie, minSimilarity: 0.85).Should().BeNull();
    }

    [Fact]
    public void A_disposed_store_refuses_further_use()
    {
        MemoryStore store = _bed.Store;
        store.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Stats());
    }
}
