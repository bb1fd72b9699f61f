using CclAgent.Runtime.TunerPlugin;

namespace CclAgent.Runtime.Tests.TunerPlugin;

public sealed class TunerPluginResolverTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("NONE")]
    public void Unset_empty_or_none_loads_no_plugin(string? value) =>
        TunerPluginResolver.Candidates(value).Should().BeEmpty();

    [Theory]
    [InlineData("/opt/nccl/libtuner.so")]
    [InlineData("build/libnccl-tuner-ccl-agent.so")]
    [InlineData("libmine.so")]
    [InlineData("./tuner")]
    public void A_value_with_a_slash_or_a_so_suffix_is_a_path_tried_as_given(string value) =>
        TunerPluginResolver.Candidates(value).Should().Equal(value);

    [Fact]
    public void A_bare_name_is_tried_as_libnccl_tuner_name_so_then_as_itself() =>
        TunerPluginResolver.Candidates("ccl-agent").Should().Equal("libnccl-tuner-ccl-agent.so", "ccl-agent");
}
