using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Nccl.Tests.Compilation;

public sealed class NcclEnvCompilerTests
{
    private static readonly NcclConfig Tuned = new()
    {
        Algorithm = NcclAlgorithm.Ring,
        Protocol = NcclProtocol.Simple,
        NThreads = 256,
        BuffSize = 8 << 20,
        MinChannels = 8,
        MaxChannels = 16,
        P2PLevel = PathLevel.PHB,
        NetGdrLevel = PathLevel.SYS,
        IbQpsPerConnection = 4,
        SocketNThreads = 2,
        NSocksPerThread = 4,
        CrossNic = 0,
    };

    [Fact]
    public void Channels_are_emitted_under_both_nchannels_and_ctas_names()
    {
        IReadOnlyList<KeyValuePair<string, string>> env = NcclEnvCompiler.Compile(new NcclConfig { MinChannels = 4, MaxChannels = 12 });

        Assert.Equal(
            [new("NCCL_MAX_NCHANNELS", "12"), new("NCCL_MAX_CTAS", "12"), new("NCCL_MIN_NCHANNELS", "4"), new("NCCL_MIN_CTAS", "4")],
            env);
    }

    [Fact]
    public void Default_config_compiles_to_nothing()
    {
        Assert.Empty(NcclEnvCompiler.Compile(NcclConfig.Default));
    }

    [Fact]
    public void Env_file_has_a_commented_header_then_key_value_lines()
    {
        string text = NcclEnvCompiler.RenderEnvFile(new NcclConfig { Algorithm = NcclAlgorithm.Tree, NThreads = 512 }, "ccl-agent best config\nrun r1");

        Assert.Equal("# ccl-agent best config\n# run r1\nNCCL_ALGO=Tree\nNCCL_NTHREADS=512\n", text);
    }

    [Fact]
    public void Env_file_for_the_default_config_says_there_is_nothing_to_set()
    {
        string text = NcclEnvCompiler.RenderEnvFile(NcclConfig.Default, "best");

        Assert.Equal("# best\n# NCCL's defaults were best: no variables to set.\n", text);
    }

    [Fact]
    public void Compiled_environment_parses_back_to_the_same_config()
    {
        IEnumerable<KeyValuePair<string, string?>> env = NcclEnvCompiler.Compile(Tuned).Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value));

        NcclConfig parsed = NcclEnvCompiler.FromEnvironment(env);

        Assert.Equal(Tuned, parsed);
        Assert.Equal(Tuned.Key, parsed.Key);
    }

    [Fact]
    public void Reading_an_environment_ignores_unknown_null_and_invalid_values()
    {
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = "/usr/bin",
            ["NCCL_DEBUG"] = "INFO",
            ["NCCL_ALGO"] = "Bogus",
            ["NCCL_PROTO"] = null,
            ["NCCL_NTHREADS"] = "4096",
            ["NCCL_MAX_CTAS"] = "16",
        };

        Assert.Equal(new NcclConfig { MaxChannels = 16 }, NcclEnvCompiler.FromEnvironment(env));
    }
}
