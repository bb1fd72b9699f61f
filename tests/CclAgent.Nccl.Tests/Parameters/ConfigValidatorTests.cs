using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Platforms;
using static CclAgent.Nccl.Tests.Support.Platforms;

namespace CclAgent.Nccl.Tests.Parameters;

public sealed class ConfigValidatorTests
{
    private static readonly CollectiveOp[] AllReduce = [CollectiveOp.AllReduce];

    private static ConfigViolation Only(NcclConfig config, NcclPlatform? platform = null, CollectiveOp[]? ops = null) =>
        Assert.Single(ConfigValidator.Validate(config, platform ?? H100NvSwitchIb, ops ?? AllReduce));

    private static void AssertRule(ConfigViolation violation, string rule, ViolationSeverity severity)
    {
        Assert.Equal(rule, violation.Rule);
        Assert.Equal(severity, violation.Severity);
    }

    [Fact]
    public void Default_config_has_no_violations()
    {
        Assert.Empty(ConfigValidator.Validate(NcclConfig.Default, A40PcieIb, AllReduce));
    }

    [Fact]
    public void A_sensible_tuned_config_has_no_violations()
    {
        var config = new NcclConfig { Algorithm = NcclAlgorithm.Ring, Protocol = NcclProtocol.Simple, NThreads = 256, BuffSize = 8 << 20, MinChannels = 8, MaxChannels = 8, IbQpsPerConnection = 4 };

        Assert.Empty(ConfigValidator.Validate(config, H100NvSwitchIb, AllReduce));
    }

    [Fact]
    public void Min_channels_above_max_is_an_init_error()
    {
        ConfigViolation v = Only(new NcclConfig { MinChannels = 16, MaxChannels = 8 });

        AssertRule(v, "channels-min-le-max", ViolationSeverity.Error);
        Assert.Equal([ParameterSpace.MinChannels, ParameterSpace.MaxChannels], v.Parameters);
    }

    [Fact]
    public void Threads_that_are_not_a_multiple_of_the_warp_are_an_error()
    {
        AssertRule(Only(new NcclConfig { NThreads = 100 }), "threads-warp-multiple", ViolationSeverity.Error);
    }

    [Fact]
    public void Four_hundred_eighty_threads_is_a_corruption_hazard()
    {
        ConfigViolation v = Only(new NcclConfig { NThreads = 480 });

        AssertRule(v, "threads-power-of-two", ViolationSeverity.Hazard);
        Assert.Contains("NVIDIA/nccl#698", v.Message);
    }

    [Fact]
    public void Threads_out_of_range_are_clamped_so_only_a_warning()
    {
        ConfigViolation v = Only(new NcclConfig { NThreads = 1024 });

        AssertRule(v, "range", ViolationSeverity.Warning);
        Assert.Contains("NCCL clamps it", v.Message);
    }

    [Fact]
    public void Channels_out_of_range_are_clamped_so_only_a_warning()
    {
        IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(new NcclConfig { MinChannels = 65, MaxChannels = 65 }, H100NvSwitchIb, AllReduce);

        Assert.Equal(2, violations.Count);
        Assert.All(violations, v => AssertRule(v, "range", ViolationSeverity.Warning));
    }

    [Fact]
    public void Non_power_of_two_buffer_is_a_corruption_hazard()
    {
        AssertRule(Only(new NcclConfig { BuffSize = 3_000_000 }), "buffsize-power-of-two", ViolationSeverity.Hazard);
    }

    [Fact]
    public void Buffer_outside_its_range_is_an_error_not_a_clamp()
    {
        AssertRule(Only(new NcclConfig { BuffSize = 1024 }), "range", ViolationSeverity.Error);
    }

    [Fact]
    public void Socket_threads_times_sockets_above_64_is_an_error()
    {
        ConfigViolation v = Only(new NcclConfig { SocketNThreads = 16, NSocksPerThread = 8 }, With(NetworkKind.Tcp));

        AssertRule(v, "sockets-product-le-64", ViolationSeverity.Error);
        Assert.Contains("128", v.Message);
    }

    [Fact]
    public void Socket_product_of_exactly_64_is_allowed()
    {
        Assert.Empty(ConfigValidator.Validate(new NcclConfig { SocketNThreads = 8, NSocksPerThread = 8 }, With(NetworkKind.Tcp), AllReduce));
    }

    [Fact]
    public void Socket_knobs_on_infiniband_are_a_warning()
    {
        AssertRule(Only(new NcclConfig { SocketNThreads = 4 }, H100NvSwitchIb), "sockets-unused", ViolationSeverity.Warning);
    }

    [Theory]
    [InlineData(NetworkKind.Tcp)]
    [InlineData(NetworkKind.Efa)]
    public void Qps_without_verbs_are_a_warning(NetworkKind network)
    {
        AssertRule(Only(new NcclConfig { IbQpsPerConnection = 4 }, With(network)), "qps-unused", ViolationSeverity.Warning);
    }

    [Fact]
    public void Cross_nic_with_one_nic_is_a_warning()
    {
        AssertRule(Only(new NcclConfig { CrossNic = 1 }, A40PcieIb), "cross-nic-unused", ViolationSeverity.Warning);
    }

    [Fact]
    public void Cross_nic_on_a_single_node_is_a_warning()
    {
        AssertRule(Only(new NcclConfig { CrossNic = 0 }, H100SingleNode), "cross-nic-unused", ViolationSeverity.Warning);
    }

    [Fact]
    public void Gdr_level_without_a_gdr_network_is_a_warning()
    {
        AssertRule(Only(new NcclConfig { NetGdrLevel = PathLevel.SYS }, H100SingleNode), "gdr-unused", ViolationSeverity.Warning);
    }

    [Fact]
    public void P2p_beyond_pxb_through_acs_on_pcie_is_a_hang_hazard()
    {
        NcclPlatform acs = A40PcieIb with { AcsEnabled = true };

        AssertRule(Only(new NcclConfig { P2PLevel = PathLevel.SYS }, acs), "p2p-through-acs", ViolationSeverity.Hazard);
        Assert.Empty(ConfigValidator.Validate(new NcclConfig { P2PLevel = PathLevel.PXB }, acs, AllReduce));
    }

    [Fact]
    public void LL128_on_pcie_is_a_corruption_hazard()
    {
        AssertRule(Only(new NcclConfig { Protocol = NcclProtocol.LL128 }, A40PcieIb), "ll128-unsupported", ViolationSeverity.Hazard);
    }

    [Fact]
    public void LL128_on_volta_nvlink_is_a_hazard_too()
    {
        NcclPlatform volta = H100NvSwitchIb with { Generation = GpuGeneration.Volta, Fabric = IntraFabric.NvLink };

        AssertRule(Only(new NcclConfig { Protocol = NcclProtocol.LL128 }, volta), "ll128-unsupported", ViolationSeverity.Hazard);
    }

    [Fact]
    public void Tree_forced_with_an_all_gather_is_an_error()
    {
        ConfigViolation v = Only(new NcclConfig { Algorithm = NcclAlgorithm.Tree }, A40PcieIb, [CollectiveOp.AllReduce, CollectiveOp.AllGather]);

        AssertRule(v, "algo-op-unavailable", ViolationSeverity.Error);
        Assert.Contains("AllGather", v.Message);
    }

    [Fact]
    public void Nvls_on_pcie_is_an_error()
    {
        AssertRule(Only(new NcclConfig { Algorithm = NcclAlgorithm.Nvls }, A40PcieIb with { Generation = GpuGeneration.Hopper }), "algo-unavailable", ViolationSeverity.Error);
    }

    [Fact]
    public void Nvls_on_hopper_nvswitch_is_allowed_for_all_reduce()
    {
        Assert.Empty(ConfigValidator.Validate(new NcclConfig { Algorithm = NcclAlgorithm.Nvls }, H100NvSwitchIb, AllReduce));
    }

    [Fact]
    public void Nvls_tree_on_one_node_is_an_error()
    {
        AssertRule(Only(new NcclConfig { Algorithm = NcclAlgorithm.NvlsTree }, H100SingleNode), "algo-unavailable", ViolationSeverity.Error);
    }

    [Theory]
    [InlineData(NcclAlgorithm.CollnetDirect)]
    [InlineData(NcclAlgorithm.CollnetChain)]
    public void Collnet_without_a_sharp_plugin_is_an_error(NcclAlgorithm algorithm)
    {
        AssertRule(Only(new NcclConfig { Algorithm = algorithm }), "algo-unavailable", ViolationSeverity.Error);
    }

    [Fact]
    public void Nvls_with_a_non_simple_protocol_is_an_error()
    {
        AssertRule(Only(new NcclConfig { Algorithm = NcclAlgorithm.Nvls, Protocol = NcclProtocol.LL }), "nvls-simple-only", ViolationSeverity.Error);
    }

    [Fact]
    public void Every_violation_is_reported_at_once()
    {
        var config = new NcclConfig
        {
            Algorithm = NcclAlgorithm.Tree,
            Protocol = NcclProtocol.LL128,
            NThreads = 480,
            BuffSize = 3_000_000,
            MinChannels = 16,
            MaxChannels = 8,
            SocketNThreads = 16,
            NSocksPerThread = 8,
        };

        IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(config, A40PcieIb, [CollectiveOp.AllGather]);

        Assert.Equal(
            ["threads-power-of-two", "buffsize-power-of-two", "channels-min-le-max", "sockets-product-le-64", "sockets-unused", "algo-op-unavailable", "ll128-unsupported"],
            violations.Select(v => v.Rule));
        Assert.False(ConfigValidator.IsRunnable(violations));
    }

    [Fact]
    public void Warnings_alone_leave_a_config_runnable()
    {
        IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(new NcclConfig { SocketNThreads = 4, CrossNic = 1 }, A40PcieIb, AllReduce);

        Assert.Equal(2, violations.Count);
        Assert.True(ConfigValidator.IsRunnable(violations));
    }

    [Fact]
    public void Raw_assignments_report_unknown_names_and_bad_syntax_then_the_typed_rules()
    {
        var assignments = new Dictionary<string, string>
        {
            ["NCCL_FOO"] = "1",
            ["NCCL_ALGO"] = "Bogus",
            ["NCCL_NTHREADS"] = "many",
            ["NCCL_MIN_CTAS"] = "16",
            ["NCCL_MAX_NCHANNELS"] = "8",
        };

        IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(assignments, H100NvSwitchIb, AllReduce);

        Assert.Equal(["unknown-parameter", "syntax", "syntax", "channels-min-le-max"], violations.Select(v => v.Rule));
        Assert.Equal(["NCCL_FOO"], violations[0].Parameters);
        Assert.Contains("expected one of", violations[1].Message);
        Assert.Equal("'many' is not an integer", violations[2].Message);
    }

    [Fact]
    public void Raw_number_too_big_for_an_int_is_reported_not_thrown()
    {
        IReadOnlyList<ConfigViolation> violations = ConfigValidator.Validate(
            new Dictionary<string, string> { ["NCCL_NTHREADS"] = "99999999999" }, H100NvSwitchIb, AllReduce);

        ConfigViolation v = Assert.Single(violations);
        Assert.Equal((ViolationSeverity.Error, "syntax"), (v.Severity, v.Rule));
        Assert.Contains("outside [64, 512]", v.Message);
    }

    [Fact]
    public void Violation_renders_severity_rule_parameters_and_message()
    {
        Assert.Equal(
            "error [channels-min-le-max] NCCL_MIN_NCHANNELS+NCCL_MAX_NCHANNELS: NCCL_MIN_NCHANNELS=16 exceeds NCCL_MAX_NCHANNELS=8",
            Only(new NcclConfig { MinChannels = 16, MaxChannels = 8 }).ToString());
    }
}
