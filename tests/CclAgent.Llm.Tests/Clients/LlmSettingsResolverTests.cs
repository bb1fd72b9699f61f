using CclAgent.Llm.Clients;

namespace CclAgent.Llm.Tests.Clients;

public sealed class LlmSettingsResolverTests
{
    private static readonly LlmSettingsSources Empty = new();

    [Fact]
    public void Default_is_ollama_on_localhost()
    {
        (LlmSettings? settings, IReadOnlyList<string> problems) = LlmSettingsResolver.Resolve(Empty, Empty, Empty, null);

        Assert.Empty(problems);
        Assert.Equal(LlmProvider.Ollama, settings!.Provider);
        Assert.Equal(new Uri("http://localhost:11434"), settings.Endpoint);
        Assert.Equal("llama3.1", settings.Model);
        Assert.True(settings.Stream);
    }

    [Fact]
    public void Command_line_beats_environment_beats_config_file()
    {
        var flags = new LlmSettingsSources { Model = "flag-model" };
        var env = new LlmSettingsSources { Provider = "openai", Model = "env-model", Endpoint = "http://10.0.0.1:8000/v1" };
        var file = new LlmSettingsSources { Provider = "ollama", Model = "file-model", Endpoint = "http://file:1", TimeoutSeconds = 7 };

        (LlmSettings? settings, _) = LlmSettingsResolver.Resolve(flags, env, file, "OPENAI_API_KEY");

        Assert.Equal(LlmProvider.OpenAI, settings!.Provider);
        Assert.Equal("flag-model", settings.Model);
        Assert.Equal(new Uri("http://10.0.0.1:8000/v1"), settings.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Timeout);
        Assert.Equal("OPENAI_API_KEY", settings.ApiKeySource);
    }

    [Fact]
    public void Environment_layer_reads_the_documented_variables_and_the_agent_key_wins()
    {
        var env = new Dictionary<string, string> { ["CCL_AGENT_PROVIDER"] = "none", ["OPENAI_API_KEY"] = "a", ["CCL_AGENT_API_KEY"] = "b" };

        LlmSettingsSources layer = LlmSettingsResolver.FromEnvironment(k => env.GetValueOrDefault(k));

        Assert.Equal("none", layer.Provider);
        Assert.Equal("CCL_AGENT_API_KEY", LlmSettingsResolver.ApiKeyVariable(k => env.GetValueOrDefault(k)));
        Assert.False(LlmSettingsResolver.Resolve(Empty, layer, Empty, null).Settings!.Enabled);
    }

    [Theory]
    [InlineData("gpt", null)]
    [InlineData("ollama", "not a url")]
    [InlineData("ollama", "ftp://host/")]
    public void Bad_provider_or_endpoint_is_a_problem_not_an_exception(string provider, string? endpoint)
    {
        (LlmSettings? settings, IReadOnlyList<string> problems) = LlmSettingsResolver.Resolve(new LlmSettingsSources { Provider = provider, Endpoint = endpoint }, Empty, Empty, null);

        Assert.Null(settings);
        Assert.Single(problems);
    }

    [Fact]
    public void Endpoint_credentials_are_never_shown()
    {
        var settings = new LlmSettings { Provider = LlmProvider.OpenAI, Model = "m", Endpoint = new Uri("https://user:hunter2@example.com/v1") };

        Assert.DoesNotContain("hunter2", settings.SafeEndpoint);
        Assert.DoesNotContain("hunter2", settings.ToString());
    }
}
