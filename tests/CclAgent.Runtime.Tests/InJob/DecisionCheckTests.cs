using CclAgent.Nccl.Tuner;
using CclAgent.Runtime.InJob;

namespace CclAgent.Runtime.Tests.InJob;

public sealed class DecisionCheckTests
{
    // Line 1 is the table id comment, as InJobProcessRunner writes it; rows start on line 2.
    private static readonly TunerConfFile Table = TunerConfParser.Parse(
        "# ccl-agent: table_id=t1\nallreduce,0,65536,nvls,simple,16,-1,-1\nallreduce,0,65536,ring,ll,8,-1,-1\nallgather,1048576,1048576,ring,simple,-1,1,8\n");

    private static DecisionRecord Load(long pid, string table = "t1") => new("load", pid, table) { Status = "loaded" };

    private static DecisionRecord Calls(long pid, string coll, long bytes, string result, int line = 0, string? algo = null, string? proto = null, int channels = -1, int skipped = 0) =>
        new("decisions", pid, "t1") { Collective = coll, Bytes = bytes, Nodes = 1, Ranks = 8, Calls = 10, Result = result, Line = line, Algorithm = algo, Protocol = proto, Channels = channels, SkippedRows = skipped };

    [Fact]
    public void A_log_that_follows_the_table_row_by_row_agrees_with_it()
    {
        DecisionRecord[] log =
        [
            Load(7), Load(8),
            Calls(7, "allreduce", 4096, "matched", 3, "ring", "ll", 8, skipped: 1),
            Calls(8, "allreduce", 4096, "matched", 2, "nvls", "simple", 16),
            Calls(8, "allgather", 1048576, "matched", 4, "ring", "simple"),
            Calls(7, "allreduce", 1 << 24, "no_row"),
        ];

        DecisionCheck.Problem(Table, "t1", log).Should().BeNull();
    }

    [Fact]
    public void A_row_applied_out_of_first_match_order_is_a_disagreement()
    {
        DecisionRecord[] log = [Load(7), Calls(7, "allreduce", 4096, "matched", 3, "ring", "ll", 8, skipped: 0)];

        DecisionCheck.Problem(Table, "t1", log).Should().Contain("1 matching rows come before it");
    }

    [Fact]
    public void A_choice_other_than_the_rows_is_a_disagreement()
    {
        DecisionRecord[] log = [Load(7), Calls(7, "allreduce", 4096, "matched", 2, "nvls", "simple", 4)];

        DecisionCheck.Problem(Table, "t1", log).Should().Contain("line 2 says nvls/simple/16");
    }

    [Fact]
    public void No_row_logged_where_a_row_matches_is_a_disagreement()
    {
        DecisionRecord[] log = [Load(7), Calls(7, "allgather", 1048576, "no_row")];

        DecisionCheck.Problem(Table, "t1", log).Should().Contain("line 4 matches");
    }

    [Fact]
    public void A_rank_that_loaded_the_table_but_logged_no_calls_under_it_fails_the_check()
    {
        DecisionRecord[] log = [Load(7), Load(9), Calls(7, "allreduce", 1 << 24, "no_row")];

        DecisionCheck.Problem(Table, "t1", log).Should().Contain("process 9");
    }

    [Fact]
    public void A_table_no_process_loaded_fails_the_check()
    {
        DecisionCheck.Problem(Table, "t1", [Load(7, "t0")]).Should().Contain("no process logged loading table t1");
    }

    [Fact]
    public void Log_lines_that_are_not_json_objects_of_ours_are_skipped()
    {
        DecisionLog.Parse("{\"event\":\"load\",\"pid\":12,\"table_id\":\"x\",\"status\":\"loaded\"}").Should().NotBeNull();
        DecisionLog.Parse("{\"event\":\"load\"").Should().BeNull();
        DecisionLog.Parse("[1,2]").Should().BeNull();
        DecisionLog.Parse("{\"pid\":1}").Should().BeNull();
    }
}
