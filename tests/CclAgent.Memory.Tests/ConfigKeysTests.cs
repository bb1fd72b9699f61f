using CclAgent.Memory.Tests.Support;

namespace CclAgent.Memory.Tests;

public sealed class ConfigKeysTests
{
    [Fact]
    public void A_config_key_lists_pairs_sorted_ordinally_by_name()
    {
        var config = Records.Config(("NCCL_PROTO", "Simple"), ("NCCL_ALGO", "Ring"), ("NCCL_algo_lower", "x"));

        Assert.Equal("NCCL_ALGO=Ring;NCCL_PROTO=Simple;NCCL_algo_lower=x", ConfigKeys.Of(config));
    }

    [Fact]
    public void The_default_config_has_the_empty_key()
    {
        Assert.Equal(string.Empty, ConfigKeys.Of(new Dictionary<string, string>()));
    }

    [Fact]
    public void A_trial_given_a_config_key_keeps_it()
    {
        TrialRecord trial = Records.Trial("run-1", 0) with { ConfigKey = "custom" };

        Assert.Equal("custom", trial.ConfigKey);
        Assert.Equal("NCCL_ALGO=Ring", Records.Trial("run-1", 0).ConfigKey);
    }
}
