using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tests.Parameters;

public sealed class NcclConfigTests
{
    [Fact]
    public void Default_key_is_default()
    {
        Assert.Equal("default", NcclConfig.Default.Key);
        Assert.Equal("NCCL defaults", NcclConfig.Default.ToShortString());
    }

    [Fact]
    public void Key_is_canonical_sorted_and_independent_of_assignment_order_and_case()
    {
        NcclConfig a = NcclConfig.Default.With("NCCL_PROTO", "simple").With("NCCL_ALGO", "ring").With("NCCL_MAX_NCHANNELS", "8");
        NcclConfig b = new() { MaxChannels = 8, Algorithm = NcclAlgorithm.Ring, Protocol = NcclProtocol.Simple };

        Assert.Equal("NCCL_ALGO=Ring;NCCL_MAX_NCHANNELS=8;NCCL_PROTO=Simple", a.Key);
        Assert.Equal(a.Key, b.Key);
        Assert.Equal(a, b);
        Assert.Equal(a.Key, a.ToString());
    }

    [Fact]
    public void Short_string_drops_the_nccl_prefix()
    {
        Assert.Equal("ALGO=Ring MAX_NCHANNELS=8", new NcclConfig { Algorithm = NcclAlgorithm.Ring, MaxChannels = 8 }.ToShortString());
    }

    [Fact]
    public void With_sets_by_name_or_alias_clears_with_null_and_ignores_unknown_names()
    {
        NcclConfig config = NcclConfig.Default.With("NCCL_MAX_CTAS", "12").With("nccl_nthreads", "256");

        Assert.Equal((12, 256), (config.MaxChannels, config.NThreads));
        Assert.Null(config.With(ParameterSpace.NThreads, null).NThreads);
        Assert.Same(config, config.With("NCCL_DEBUG", "INFO"));
    }

    [Fact]
    public void FromAssignments_applies_every_known_assignment()
    {
        NcclConfig config = NcclConfig.FromAssignments(new Dictionary<string, string>
        {
            ["NCCL_P2P_LEVEL"] = "sys",
            ["NCCL_BUFFSIZE"] = "8388608",
            ["NCCL_UNKNOWN"] = "1",
        });

        Assert.Equal(new NcclConfig { P2PLevel = PathLevel.SYS, BuffSize = 8388608 }, config);
    }

    [Fact]
    public void Patch_lists_changed_values_and_marks_dropped_ones_as_default()
    {
        var baseline = new NcclConfig { Algorithm = NcclAlgorithm.Ring, NThreads = 512 };
        var tuned = new NcclConfig { Algorithm = NcclAlgorithm.Tree, BuffSize = 8388608 };

        IReadOnlyDictionary<string, string> patch = tuned.PatchFrom(baseline);

        Assert.Equal(
            new Dictionary<string, string> { ["NCCL_ALGO"] = "Tree", ["NCCL_BUFFSIZE"] = "8388608", ["NCCL_NTHREADS"] = "(default)" },
            patch);
        Assert.Empty(tuned.PatchFrom(tuned with { }));
    }

    [Fact]
    public void A_config_matches_the_patch_it_was_made_with()
    {
        var baseline = new NcclConfig { NThreads = 512 };
        var tuned = new NcclConfig { Algorithm = NcclAlgorithm.Tree };

        IReadOnlyDictionary<string, string> patch = tuned.PatchFrom(baseline);

        Assert.True(tuned.Matches(patch));
        Assert.False(baseline.Matches(patch));
        Assert.False((tuned with { NThreads = 512 }).Matches(patch));
        Assert.True((tuned with { BuffSize = 1 << 20 }).Matches(patch));
    }

    [Fact]
    public void Matching_values_ignores_case()
    {
        Assert.True(new NcclConfig { Protocol = NcclProtocol.LL128 }.Matches(new Dictionary<string, string> { ["NCCL_PROTO"] = "ll128" }));
        Assert.True(NcclConfig.Default.Matches(new Dictionary<string, string>()));
    }
}
