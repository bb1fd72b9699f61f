using CclAgent.Cli.Configuration;
using CclAgent.Testing;

namespace CclAgent.Cli.Tests;

/// <summary>tune and diagnose take the Anthropic-compatible provider the LLM layer already resolves, as incident does.</summary>
public sealed class AnthropicProviderTests : IDisposable
{
    private readonly TempDirectory _temp = new("ccl-anthropic-provider-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_agent_config_file_accepts_provider_anthropic()
    {
        AgentConfigValidator.Validate(new AgentConfig { Provider = "anthropic" }, "agent.json").Should().BeEmpty();
    }

    [Fact]
    public void The_agent_config_file_still_rejects_an_unknown_provider()
    {
        AgentConfigValidator.Validate(new AgentConfig { Provider = "gemini" }, "agent.json").Should().ContainSingle();
    }

    [Fact]
    public async Task Diagnose_with_provider_anthropic_runs_and_falls_back_when_the_model_server_is_unreachable()
    {
        string log = _temp.Combine("train.log");
        await File.WriteAllLinesAsync(log, ["node1:123:456 [0] transport/net_ib.cc:2244 NCCL WARN NET/IB: Got completion from peer 10.0.0.2<53908> with status=12 opcode=129 len=1048576 vendor err 129 (Recv)"]);

        var (code, stdout, stderr) = await InProcessCli.RunAsync("diagnose", "--log", log, "--json", "--llm", "--provider", "anthropic", "--llm-endpoint", "http://127.0.0.1:1/", "--out", _temp.Combine("out"));

        code.Should().Be(0, stderr);
        stdout.Should().Contain("ib_network_error");
    }
}
