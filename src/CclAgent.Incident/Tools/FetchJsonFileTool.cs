using System.Text.Json.Nodes;

namespace CclAgent.Incident.Tools;

/// <summary>
/// fetch_config, fetch_runtime_state, fetch_gpu_stats: one validated scenario file each, returned as read
/// (secrets masked later by the runner, like every result).
/// </summary>
internal sealed class FetchJsonFileTool(string name, string description, string file, JsonObject? content) : IIncidentTool
{
    public const string Config = "fetch_config";
    public const string Runtime = "fetch_runtime_state";
    public const string Gpus = "fetch_gpu_stats";

    public string Name => name;

    public string Description => description;

    public JsonObject ArgsSchema { get; } = ToolSchema.Object();

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<JsonNode>(content is null
            ? ToolResult.NoData($"{file} is absent")
            : ToolResult.Success((JsonObject)content.DeepClone()));
    }
}
