using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Llm.Agents;
using CclAgent.Llm.Clients;
using CclAgent.Testing;

namespace CclAgent.Llm.Tests.Support;

/// <summary>
/// A real connection (the provider's real client) to a loopback model server, a temp llm/ folder for the packs, and
/// two tools that count their calls: fetch_service_logs (a vLLM start-up log excerpt with a planted token) and
/// fetch_config (a vLLM runtime config).
/// </summary>
internal sealed class AgentHarness : IDisposable
{
    public const string Key = "sk-ant-PLANTED-canary-5b2e91d0c4";

    /// <summary>A token planted in a log line; the redactor must mask it before a model, a pack or a result sees it.</summary>
    public const string LogCanary = "hf_PlantedCanaryTokenAbCdEf0123456789";

    private readonly ModelConnection _connection;
    private readonly TempDirectory _root = new("ccl-agent-tests-");

    // anthropicKeyVariable: where the Anthropic credential comes from, ANTHROPIC_AUTH_TOKEN (bearer) unless told ANTHROPIC_API_KEY.
    public AgentHarness(ChatProtocol protocol, string baseUrl, TimeProvider? time = null, int retries = 0, string anthropicKeyVariable = LlmSettingsResolver.AnthropicTokenVariable)
    {
        Protocol = protocol;
        Time = time ?? TimeProvider.System;
        var environment = new Dictionary<string, string> { [anthropicKeyVariable] = Key, [LlmSettingsResolver.AgentKeyVariable] = Key };
        var settings = new LlmSettings
        {
            Provider = protocol switch { ChatProtocol.Ollama => LlmProvider.Ollama, ChatProtocol.OpenAI => LlmProvider.OpenAI, _ => LlmProvider.Anthropic },
            Model = protocol switch { ChatProtocol.Ollama => "llama3.1", ChatProtocol.OpenAI => "gpt-4o-mini", _ => "minimax-m2.1" },
            Endpoint = new Uri(ToolProtocols.Endpoint(protocol, baseUrl)),
            Timeout = TimeSpan.FromSeconds(20),
            MaxRetries = retries,
            ApiKeySource = protocol switch { ChatProtocol.OpenAI => LlmSettingsResolver.AgentKeyVariable, ChatProtocol.Anthropic => anthropicKeyVariable, _ => null },
        };
        _connection = ChatClientFactory.Create(settings, environment.GetValueOrDefault);
        Agent = new ToolCallingAgent(_connection, Time, LlmDirectory);
    }

    public ChatProtocol Protocol { get; }
    public ModelConnection Connection => _connection;
    public TimeProvider Time { get; }
    public ToolCallingAgent Agent { get; }
    public string LlmDirectory => _root.Combine("llm");
    public Dictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>What each tool returned, as JSON text, in call order.</summary>
    public List<string> Returned { get; } = [];

    public static string Exposed(string tool) => ToolCallingAgent.PluginName + "_" + tool;

    public AgentTool LogsTool(Func<JsonObject, JsonNode>? body = null) => Tool(
        "fetch_service_logs",
        "Fetch the service's own log lines for a time window.",
        """{"type":"object","properties":{"window":{"type":"string","description":"e.g. 15m"},"limit":{"type":"integer"},"page":{"type":"integer"}},"required":["window"]}""",
        body ?? (_ => new JsonObject
        {
            ["status"] = "success",
            ["source"] = "logs/service.log",
            ["lines"] = new JsonArray(
                // Real line: vLLM start-up hang, github.com/vllm-project/vllm/issues/24133 (GLM-4.5 on 8xH100, -tp 8).
                "(APIServer pid=300606) DEBUG 09-02 17:29:06 [utils.py:777] Waiting for 1 local, 0 remote core engine proc(s) to start.",
                $"HF_TOKEN={LogCanary} exported for the model download"),
        }));

    public AgentTool ConfigTool(Func<JsonObject, JsonNode>? body = null) => Tool(
        "fetch_config",
        "Fetch the service configuration and runtime limits.",
        """{"type":"object","properties":{}}""",
        body ?? (_ => new JsonObject
        {
            ["status"] = "success",
            ["runtime"] = new JsonObject { ["max_num_seqs"] = 256, ["max_num_batched_tokens"] = 2048 },
            ["version"] = "0.10.1",
        }));

    public AgentTool Tool(string name, string description, string schema, Func<JsonObject, JsonNode> body) =>
        new(name, description, JsonDocument.Parse(schema).RootElement.Clone(), (arguments, ct) =>
        {
            Calls[name] = Calls.GetValueOrDefault(name) + 1;
            JsonNode result = body(arguments);
            Returned.Add(result.ToJsonString());
            return Task.FromResult<JsonNode?>(result);
        });

    public static AgentRequest Request(IReadOnlyList<AgentTool> tools, int maxRounds = 10, TimeSpan? timeout = null) => new()
    {
        SystemPrompt = "You diagnose incidents on GPU nodes. Use the tools, then answer with one JSON object.",
        UserPrompt = "The vLLM server hangs at start-up. Find the cause.",
        Tools = tools,
        MaxRounds = maxRounds,
        Timeout = timeout ?? TimeSpan.FromMinutes(2),
        Purpose = "incident",
    };

    public string[] Packs() => Directory.Exists(LlmDirectory) ? Directory.GetFiles(LlmDirectory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];

    public string AllPackText() => string.Concat(Directory.GetFiles(LlmDirectory).Select(File.ReadAllText));

    public void Dispose()
    {
        _connection.Dispose();
        _root.Dispose();
    }
}
