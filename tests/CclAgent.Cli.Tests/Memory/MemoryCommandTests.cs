using Microsoft.Data.Sqlite;

namespace CclAgent.Cli.Tests.Memory;

public sealed class MemoryCommandTests : IDisposable
{
    private const string Workload = "workload/sim/h100-1x8-nvswitch-tp8.json";
    private readonly string _dir = Directory.CreateTempSubdirectory("ccl-memory-").FullName;

    private string Db => Path.Combine(_dir, "m.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Verify_quarantines_a_corrupt_rule_and_the_next_tune_still_succeeds()
    {
        (await TuneAsync()).Should().Be(0);
        Execute($"UPDATE rules SET patch_json = '{{oops' WHERE id = (SELECT id FROM rules ORDER BY id LIMIT 1);");

        var verify = await InProcessCli.RunAsync("memory", "verify", "--memory", Db, "--json");

        verify.ExitCode.Should().Be(ExitCodes.InvalidInput);
        verify.Stdout.Should().Contain("\"ok\":false").And.Contain("\"table\":\"rules\"");
        (await TuneAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Verify_reports_ok_when_every_row_is_readable()
    {
        (await TuneAsync()).Should().Be(0);

        var verify = await InProcessCli.RunAsync("memory", "verify", "--memory", Db, "--json");

        verify.ExitCode.Should().Be(0);
        verify.Stdout.Trim().Should().Be("{\"ok\":true,\"quarantined\":[]}");
    }

    [Fact]
    public async Task List_json_has_runs_rules_and_avoid_rules_of_the_tuned_workload()
    {
        (await TuneAsync()).Should().Be(0);

        var list = await InProcessCli.RunAsync("memory", "list", "--memory", Db, "--json", "--workload", "h100-1x8-nvswitch-tp8");
        var other = await InProcessCli.RunAsync("memory", "list", "--memory", Db, "--json", "--workload", "no-such-workload");

        list.ExitCode.Should().Be(0);
        list.Stdout.Should().Contain("\"runs\":[{").And.Contain("\"status\":\"finished\"").And.Contain("\"avoid_rules\":[");
        other.Stdout.Trim().Should().Be("{\"runs\":[],\"rules\":[],\"avoid_rules\":[]}");
    }

    [Fact]
    public async Task List_as_a_table_keeps_each_column_clear_of_a_run_id_longer_than_the_header()
    {
        (await TuneAsync()).Should().Be(0);

        var list = await InProcessCli.RunAsync("memory", "list", "--memory", Db);

        list.ExitCode.Should().Be(0);
        string[] lines = list.Stdout.Split('\n');
        string header = lines.Single(l => l.Contains("STATUS", StringComparison.Ordinal));
        string row = lines[Array.IndexOf(lines, header) + 1];
        row.Should().Contain("finished");
        row.IndexOf("finished", StringComparison.Ordinal).Should().Be(header.IndexOf("STATUS", StringComparison.Ordinal), "the status column starts after the whole run id");
    }

    [Fact]
    public async Task Import_twice_adds_each_rule_once()
    {
        (await TuneAsync()).Should().Be(0);
        string target = Path.Combine(_dir, "target.db");

        var first = await InProcessCli.RunAsync("memory", "import", Db, "--memory", target);
        var second = await InProcessCli.RunAsync("memory", "import", Db, "--memory", target);

        first.ExitCode.Should().Be(0);
        second.Stdout.Should().Contain("imported 0 runs (0 trials), 0 new rules, 0 rules merged (counts added), 0 avoid-rules");
        Count(target, "rules").Should().Be(Count(Db, "rules")).And.BeGreaterThan(0);
    }

    [Fact]
    public async Task Prune_dry_run_counts_rows_but_deletes_nothing()
    {
        (await TuneAsync()).Should().Be(0);
        long trials = Count(Db, "trials");

        var dry = await InProcessCli.RunAsync("memory", "prune", "--older-than", "0d", "--dry-run", "--memory", Db);

        dry.Stdout.Should().Contain("would delete").And.Contain("nothing deleted");
        Count(Db, "trials").Should().Be(trials).And.BeGreaterThan(0);
        (await InProcessCli.RunAsync("memory", "prune", "--older-than", "0d", "--memory", Db)).ExitCode.Should().Be(0);
        Count(Db, "trials").Should().Be(0);
    }

    [Fact]
    public async Task Import_of_the_same_rules_learned_by_another_run_adds_their_counts()
    {
        string other = Path.Combine(_dir, "other.db");
        (await TuneAsync()).Should().Be(0);
        (await TuneAsync(other)).Should().Be(0);
        long supportBefore = long.Parse(Scalar(Db, "SELECT SUM(support) FROM rules;"), System.Globalization.CultureInfo.InvariantCulture);

        var import = await InProcessCli.RunAsync("memory", "import", other, "--memory", Db);

        import.ExitCode.Should().Be(0);
        import.Stdout.Should().Contain("imported 1 runs").And.MatchRegex(@"[1-9]\d* rules merged");
        Count(Db, "rules").Should().Be(Count(other, "rules"));
        long.Parse(Scalar(Db, "SELECT SUM(support) FROM rules;"), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(supportBefore);
    }

    [Theory]
    [InlineData(new string[0], "no filter")]
    [InlineData(new[] { "--min-confidence", "1.5" }, "--min-confidence")]
    [InlineData(new[] { "--older-than", "soon" }, "--older-than")]
    public async Task Prune_without_a_valid_filter_exits_2_with_one_line(string[] filter, string named)
    {
        var prune = await InProcessCli.RunAsync(["memory", "prune", "--memory", Db, .. filter]);

        prune.ExitCode.Should().Be(ExitCodes.InvalidInput);
        prune.Stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain(named);
    }

    [Fact]
    public async Task Prune_by_workload_deletes_that_workloads_trials()
    {
        (await TuneAsync()).Should().Be(0);

        var prune = await InProcessCli.RunAsync("memory", "prune", "--workload", "h100-1x8-nvswitch-tp8", "--memory", Db);

        prune.ExitCode.Should().Be(0);
        Count(Db, "trials").Should().Be(0);
        Count(Db, "runs").Should().Be(1);
    }

    [Fact]
    public async Task List_shows_the_host_and_process_of_each_run()
    {
        (await TuneAsync()).Should().Be(0);

        var list = await InProcessCli.RunAsync("memory", "list", "--memory", Db, "--json");

        list.Stdout.Should().Contain($"\"host\":\"{Environment.MachineName}\"").And.Contain($"\"pid\":{Environment.ProcessId}");
    }

    [Fact]
    public async Task Show_prints_a_rule_and_rejects_an_unknown_id()
    {
        (await TuneAsync()).Should().Be(0);
        string id = Scalar(Db, "SELECT id FROM rules ORDER BY id LIMIT 1;");

        var shown = await InProcessCli.RunAsync("memory", "show", id, "--memory", Db, "--json");
        var missing = await InProcessCli.RunAsync("memory", "show", "nope", "--memory", Db);

        shown.Stdout.Should().Contain($"\"id\":\"{id}\"").And.Contain("\"kind\":\"rule\"");
        missing.ExitCode.Should().Be(ExitCodes.InvalidInput);
        missing.Stderr.Should().Contain("'nope'");
    }

    private async Task<int> TuneAsync(string? memory = null) =>
        (await InProcessCli.RunAsync("tune", "--workload", Workload, "--dry-run", "--provider", "none", "--quiet", "--memory", memory ?? Db, "--artifacts-root", Path.Combine(_dir, "artifacts"), "--max-steps", "6")).ExitCode;

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Db};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery().Should().Be(1);
    }

    private static long Count(string db, string table) => long.Parse(Scalar(db, $"SELECT COUNT(*) FROM {table};"), System.Globalization.CultureInfo.InvariantCulture);

    private static string Scalar(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
