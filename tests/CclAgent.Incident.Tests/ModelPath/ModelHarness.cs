using CclAgent.Incident.Agent;
using EvalScenarios = CclAgent.Incident.Tests.IncidentEval.Scenarios;
using CclAgent.Llm.Clients;
using CclAgent.Testing;

namespace CclAgent.Incident.Tests.ModelPath;

/// <summary>A real provider client pointed at a loopback model server, and one incident run through it.</summary>
internal static class ModelHarness
{
    public const string Key = "sk-canary-should-never-leak";

    public static ModelConnection Connect(ChatProtocol protocol, string baseUrl)
    {
        var environment = new Dictionary<string, string> { [LlmSettingsResolver.AnthropicTokenVariable] = Key, [LlmSettingsResolver.AgentKeyVariable] = Key };
        var settings = new LlmSettings
        {
            Provider = protocol switch { ChatProtocol.Ollama => LlmProvider.Ollama, ChatProtocol.OpenAI => LlmProvider.OpenAI, _ => LlmProvider.Anthropic },
            Model = "scripted",
            Endpoint = new Uri(ToolProtocols.Endpoint(protocol, baseUrl)),
            Timeout = TimeSpan.FromSeconds(20),
            MaxRetries = 0,
            ApiKeySource = protocol switch { ChatProtocol.OpenAI => LlmSettingsResolver.AgentKeyVariable, ChatProtocol.Anthropic => LlmSettingsResolver.AnthropicTokenVariable, _ => null },
        };
        return ChatClientFactory.Create(settings, environment.GetValueOrDefault);
    }

    public static async Task<IncidentOutcome> RunAsync(string scenario, ModelConnection model, string outDir, int maxRounds = 10) =>
        await IncidentAgent.RunRecordedAsync(
            Path.Combine(EvalScenarios.Root, scenario),
            new IncidentRunOptions { Model = model, MaxRounds = maxRounds, OutDirectory = outDir, Timeout = TimeSpan.FromMinutes(2) },
            TimeProvider.System,
            CancellationToken.None);

    /// <summary>The exposed name of an incident tool (Semantic Kernel prefixes the plugin).</summary>
    public static string Tool(string name) => Llm.Agents.ToolCallingAgent.PluginName + "_" + name;
}
