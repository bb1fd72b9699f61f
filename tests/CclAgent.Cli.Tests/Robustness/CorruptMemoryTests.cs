using Microsoft.Data.Sqlite;

namespace CclAgent.Cli.Tests.Robustness;

/// <summary>
/// A memory database damaged in one place, through the real CLI: a bad row is skipped and quarantined, a
/// damaged database costs the run its memory (one warning line), never its result.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CorruptMemoryTests : IDisposable
{
    private const string Workload = "workload/sim/h100-1x8-nvswitch-tp8.json";

    private readonly RobustnessWorkspace _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("UPDATE rules SET patch_json = '{not json';", "rules")]
    [InlineData("UPDATE rules SET features_json = '[1,';", "rules")]
    [InlineData("UPDATE runs SET features_json = '';", "runs")]
    [InlineData("UPDATE trials SET config_json = 'null{' WHERE id = (SELECT MIN(id) FROM trials);", "trials")]
    [InlineData("UPDATE trials SET kind = 'warp_drive' WHERE id = (SELECT MIN(id) FROM trials);", "trials")]
    public async Task A_memory_with_one_unreadable_row_still_tunes_and_quarantines_the_row(string damage, string table)
    {
        await SeedMemoryAsync();
        Execute(damage);

        var (code, _, stderr) = await DryRunAsync();

        code.Should().Be(0, stderr);
        stderr.Should().Contain("unreadable rows are skipped");
        ((long)Scalar($"SELECT COUNT(*) FROM quarantine WHERE table_name = '{table}';")!).Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("ALTER TABLE rules DROP COLUMN description;")]
    [InlineData("DROP TABLE avoid_rules;")]
    [InlineData("DROP INDEX ix_trials_context; DROP TABLE trials;")]
    public async Task A_memory_missing_a_table_or_column_is_not_used_with_one_warning_and_the_run_succeeds(string damage)
    {
        await SeedMemoryAsync();
        Execute(damage);

        var (code, stdout, stderr) = await DryRunAsync();

        code.Should().Be(0, stderr);
        stderr.Split('\n').Where(l => l.StartsWith("warning: --memory", StringComparison.Ordinal)).Should().ContainSingle()
            .Which.Should().Contain(_work.Memory).And.Contain("tuning without memory this run");
        stdout.Should().NotBeEmpty();
        File.Exists(Path.Combine(_work.RunDirectories().OrderBy(d => d, StringComparer.Ordinal).Last(), "postrun", "summary.json")).Should().BeTrue();
    }

    [Fact]
    public async Task A_memory_with_an_overwritten_page_is_not_used_with_one_warning_and_the_run_succeeds()
    {
        await SeedMemoryAsync();
        long pageSize = (long)Scalar("PRAGMA page_size;")!;
        long pages = (long)Scalar("PRAGMA page_count;")!;
        await using (FileStream file = new(_work.Memory, FileMode.Open, FileAccess.Write))
        {
            // A page in the middle: the header (page 1) stays valid, so the file still opens as ours.
            file.Seek(pageSize * (pages / 2), SeekOrigin.Begin);
            await file.WriteAsync(Enumerable.Repeat((byte)0xA5, (int)pageSize).ToArray());
        }

        var (code, _, stderr) = await DryRunAsync();

        code.Should().Be(0, stderr);
        stderr.Should().Contain("tuning without memory this run").And.Contain(_work.Memory);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_at_all_is_still_refused_with_exit_2()
    {
        await File.WriteAllTextAsync(_work.Memory, string.Concat(Enumerable.Repeat("this is not a database\n", 200)));

        var (code, _, stderr) = await DryRunAsync();

        code.Should().Be(2);
        stderr.Should().Contain("not a ccl-agent memory database");
    }

    /// <summary>Two short runs: runs, trials, rules and avoid-rules rows to damage; then the WAL folded into the file.</summary>
    private async Task SeedMemoryAsync()
    {
        for (int seed = 1; seed <= 2; seed++)
        {
            var (code, _, stderr) = await DryRunAsync(seed);
            code.Should().Be(0, stderr);
        }

        Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        ((long)Scalar("SELECT COUNT(*) FROM rules;")!).Should().BeGreaterThan(0, "the seed runs learned rules to damage");
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> DryRunAsync(int seed = 7) =>
        _work.TuneAsync(Workload, "--dry-run", "--max-steps", "6", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void Execute(string sql)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _work.Memory, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
