using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using static CclAgent.Nccl.Tests.Support.Platforms;

namespace CclAgent.Nccl.Tests.Tuner;

public sealed class TunerConfTests
{
    private static readonly TunerKey Tp = new(CollectiveOp.AllReduce, 262144, 1, 8);
    private static readonly TunerKey Dp = new(CollectiveOp.AllReduce, 26214400, 1, 8);
    private static readonly TunerKey Gather = new(CollectiveOp.AllGather, 1048576, 2, 16);

    [Fact]
    public void Rows_written_for_per_collective_choices_read_back_identically_through_the_plugins_parser()
    {
        NcclConfig config = NcclConfig.Default
            .WithChoice(Tp, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.LL, 16))
            .WithChoice(Gather, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.Simple, 4));
        IReadOnlyList<TunerConfRow> rows = TunerRows.For(config, [Tp, Dp, Gather]);

        TunerConfFile parsed = TunerConfParser.Parse(TunerConfWriter.Render(rows, "tuned by ccl-agent\nrun r1"));

        parsed.Problems.Should().BeEmpty();
        parsed.Rows.Select(r => r with { Line = 0 }).Should().Equal(rows);
        parsed.Table.ApplyTo(NcclConfig.Default, [Tp, Dp, Gather], (_, _, _) => true).Key.Should().Be(config.Key);
    }

    [Fact]
    public void The_header_is_a_comment_because_the_plugin_would_read_a_bare_header_as_an_allreduce_row()
    {
        string text = TunerConfWriter.Render([], "x");

        text.Split('\n').Should().Contain("# " + TunerConfWriter.Header);
        TunerConfParser.Parse(TunerConfWriter.Header + "\n").Problems.Should().ContainSingle().Which.Message.Should().Contain("not commented");
    }

    [Fact]
    public void Row_ranges_tile_every_size_and_each_tuned_size_matches_only_its_own_row()
    {
        NcclConfig config = NcclConfig.Default
            .WithChoice(Tp, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.LL, 8))
            .WithChoice(Dp, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.Simple, 2));

        IReadOnlyList<TunerConfRow> rows = TunerRows.For(config, [Dp, Tp]);

        rows.Should().HaveCount(2);
        rows[0].MinBytes.Should().Be(0);
        rows[1].MinBytes.Should().Be(rows[0].MaxBytes + 1);
        rows[1].MaxBytes.Should().Be(long.MaxValue);
        rows.Where(r => r.Matches(Tp)).Should().ContainSingle().Which.Protocol.Should().Be(NcclProtocol.LL);
        rows.Where(r => r.Matches(Dp)).Should().ContainSingle().Which.Protocol.Should().Be(NcclProtocol.Simple);
        rows.Where(r => r.Matches(Tp with { Bytes = 300000 })).Should().ContainSingle("a slightly larger message gets the nearest tuned size's row");
    }

    [Fact]
    public void An_untuned_collective_between_two_tuned_sizes_keeps_its_own_range_without_a_row()
    {
        TunerKey middle = Tp with { Bytes = 4194304 };
        NcclConfig config = NcclConfig.Default
            .WithChoice(Tp, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.LL, 8))
            .WithChoice(Dp, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.Simple, 2));

        IReadOnlyList<TunerConfRow> rows = TunerRows.For(config, [Tp, middle, Dp]);

        rows.Should().HaveCount(2);
        rows.Should().NotContain(r => r.Matches(middle));
    }

    [Theory]
    [InlineData("allreduce,0,100,Ring,simple,4,-1,-1", "algorithm 'Ring'")]
    [InlineData("all_reduce,0,100,ring,simple,4,-1,-1", "collective_type 'all_reduce'")]
    [InlineData("allreduce,0,100,ring,ll64,4,-1,-1", "protocol 'll64'")]
    [InlineData("allreduce,0,100,ring,simple", "5 fields")]
    [InlineData("allreduce,200,100,ring,simple,4,-1,-1", "can never match")]
    [InlineData("allreduce,-5,100,ring,simple,4,-1,-1", "min_bytes '-5'")]
    [InlineData("allreduce,0,100,ring,simple,four,-1,-1", "channels 'four'")]
    public void Lines_the_plugin_would_misread_or_skip_are_reported_with_their_line_number(string line, string expected)
    {
        TunerConfFile parsed = TunerConfParser.Parse("# comment\n" + line + "\n");

        parsed.Problems.Should().ContainSingle().Which.Should().Match<TunerConfProblem>(p => p.Line == 2 && p.Message.Contains(expected));
    }

    [Fact]
    public void The_first_matching_row_whose_cell_NCCL_offers_wins_and_ignored_cells_fall_through()
    {
        TunerConfFile parsed = TunerConfParser.Parse("allreduce,0,1000000,tree,ll,4,-1,-1\nallreduce,0,1000000,ring,ll128,8,-1,-1\nallreduce,0,1000000,ring,simple,2,-1,-1\n");

        parsed.Table.Resolve(Tp, (a, _) => a != NcclAlgorithm.Tree)!.Protocol.Should().Be(NcclProtocol.LL128);
        parsed.Table.Resolve(Tp, (_, _) => true)!.Algorithm.Should().Be(NcclAlgorithm.Tree);
        parsed.Table.Resolve(Dp, (_, _) => true).Should().BeNull("26 MiB is outside every row");
    }

    [Fact]
    public void Choices_NCCL_would_silently_ignore_are_validation_errors()
    {
        NcclConfig forced = NcclConfig.Default with { Algorithm = NcclAlgorithm.Ring };
        NcclConfig treeGather = NcclConfig.Default.WithChoice(Gather, new TunerChoice(NcclAlgorithm.Tree, NcclProtocol.Simple, 4));
        NcclConfig nvlsLl = NcclConfig.Default.WithChoice(Tp, new TunerChoice(NcclAlgorithm.Nvls, NcclProtocol.LL, 4));

        TunerChoiceValidator.Validate(forced.WithChoice(Tp, new TunerChoice(NcclAlgorithm.Tree, NcclProtocol.LL, 4)), H100NvSwitchIb)
            .Should().ContainSingle(v => v.Rule == "tuner-env-override" && v.Severity == ViolationSeverity.Error);
        TunerChoiceValidator.Validate(forced.WithChoice(Tp, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.LL, 4)), H100NvSwitchIb)
            .Should().NotContain(v => v.Rule == "tuner-env-override", "a row within what NCCL_ALGO leaves still applies");
        TunerChoiceValidator.Validate(treeGather, H100NvSwitchIb).Should().ContainSingle(v => v.Rule == "tuner-choice-unavailable");
        TunerChoiceValidator.Validate(nvlsLl, H100NvSwitchIb).Should().ContainSingle(v => v.Message.Contains("simple protocol"));
        TunerChoiceValidator.Validate(forced, H100NvSwitchIb).Should().BeEmpty("without choices the environment alone is validated elsewhere");
    }

    [Fact]
    public void Choices_travel_through_assignments_so_patches_and_memory_rows_carry_them()
    {
        NcclConfig config = NcclConfig.Default with { NThreads = 256 };
        config = config.WithChoice(Tp, new TunerChoice(NcclAlgorithm.Ring, NcclProtocol.LL, 8));

        IReadOnlyDictionary<string, string> assignments = config.ToAssignments();

        assignments.Should().ContainKey("tuner:allreduce:262144:n1:r8").WhoseValue.Should().Be("ring/ll/8");
        NcclConfig.FromAssignments(assignments).Should().Be(config);
        config.PatchFrom(NcclConfig.Default with { NThreads = 256 }).Keys.Should().Equal("tuner:allreduce:262144:n1:r8");
        config.WithChoice(Tp, null).Should().Be(NcclConfig.Default with { NThreads = 256 });
    }
}
