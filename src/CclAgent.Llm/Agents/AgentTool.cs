using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Llm.Agents;

/// <summary>
/// One tool the model may call: its name (letters, digits, underscores), what it does, the JSON schema of its
/// arguments (an object schema: <c>{"type":"object","properties":{...},"required":[...]}</c>) and the code behind it.
/// The handler gets the arguments as the model sent them and returns any JSON; a <c>status</c> property
/// (<c>success</c>, <c>error</c>, <c>no_data</c>) in an object result is what the call is recorded as.
/// </summary>
public sealed record AgentTool(
    string Name,
    string Description,
    JsonElement ParametersSchema,
    Func<JsonObject, CancellationToken, Task<JsonNode?>> InvokeAsync);
