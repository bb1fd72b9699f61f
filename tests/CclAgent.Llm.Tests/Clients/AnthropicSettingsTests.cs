using CclAgent.Llm.Clients;

namespace CclAgent.Llm.Tests.Clients;

/// <summary>How the Anthropic provider (MiniMax's Anthropic-compatible endpoint included) picks up its settings.</summary>
public sealed class AnthropicSettingsTests
{
    private static readonly LlmSettingsSources Empty = new();

    private static LlmSettings Resolve(Dictionary<string, string> variables, LlmSettingsSources? commandLine = null)
    {
        LlmSettingsSources environment = LlmSettingsResolver.FromEnvironment(variables.GetValueOrDefault);
        (LlmSettings? settings, IReadOnlyList<string> problems) = LlmSettingsResolver.Resolve(commandLine ?? Empty, environment, Empty, null);
        problems.Should().BeEmpty();
        return settings!;
    }

    [Fact]
    public void Minimax_variables_give_the_endpoint_and_model_and_the_auth_token_is_the_credential()
    {
        LlmSettings settings = Resolve(new()
        {
            ["CCL_AGENT_PROVIDER"] = "anthropic",
            ["MINIMAX_BASE_URL"] = "https://api.minimax.io/anthropic",
            ["MINIMAX_MODEL"] = "MiniMax-M2",
            ["ANTHROPIC_AUTH_TOKEN"] = "tok",
        });

        settings.Provider.Should().Be(LlmProvider.Anthropic);
        settings.Endpoint.Should().Be(new Uri("https://api.minimax.io/anthropic"));
        settings.Model.Should().Be("MiniMax-M2");
        settings.ApiKeySource.Should().Be("ANTHROPIC_AUTH_TOKEN");
    }

    [Fact]
    public void Anthropic_base_url_beats_minimax_base_url_and_the_auth_token_beats_the_api_key()
    {
        LlmSettings settings = Resolve(new()
        {
            ["CCL_AGENT_PROVIDER"] = "anthropic",
            ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9000",
            ["MINIMAX_BASE_URL"] = "https://api.minimax.io/anthropic",
            ["ANTHROPIC_AUTH_TOKEN"] = "tok",
            ["ANTHROPIC_API_KEY"] = "key",
        });

        settings.Endpoint.Should().Be(new Uri("http://127.0.0.1:9000"));
        settings.ApiKeySource.Should().Be("ANTHROPIC_AUTH_TOKEN");
    }

    [Fact]
    public void Api_key_alone_is_used_and_the_model_defaults_to_minimax_m2_1()
    {
        LlmSettings settings = Resolve(new() { ["CCL_AGENT_PROVIDER"] = "anthropic", ["ANTHROPIC_API_KEY"] = "key" });

        settings.ApiKeySource.Should().Be("ANTHROPIC_API_KEY");
        settings.Model.Should().Be("minimax-m2.1");
        settings.Endpoint.Should().Be(new Uri(LlmSettings.DefaultAnthropicEndpoint));
    }

    [Fact]
    public void Generic_endpoint_and_model_settings_beat_the_anthropic_variables()
    {
        LlmSettings settings = Resolve(
            new() { ["CCL_AGENT_PROVIDER"] = "anthropic", ["ANTHROPIC_BASE_URL"] = "http://a:1", ["MINIMAX_MODEL"] = "m-env" },
            new LlmSettingsSources { Endpoint = "http://flag:2", Model = "m-flag" });

        settings.Endpoint.Should().Be(new Uri("http://flag:2"));
        settings.Model.Should().Be("m-flag");
    }

    [Fact]
    public void Anthropic_variables_are_ignored_by_the_other_providers()
    {
        LlmSettings settings = Resolve(new() { ["CCL_AGENT_PROVIDER"] = "ollama", ["ANTHROPIC_BASE_URL"] = "http://a:1", ["MINIMAX_MODEL"] = "m", ["ANTHROPIC_AUTH_TOKEN"] = "tok" });

        settings.Endpoint.Should().Be(new Uri(LlmSettings.DefaultOllamaEndpoint));
        settings.Model.Should().Be(LlmSettings.DefaultOllamaModel);
        settings.ApiKeySource.Should().BeNull();
    }
}
