using System.Text.Json.Nodes;
using CclAgent.Incident.Scenarios;

namespace CclAgent.Incident.Tools;

/// <summary>fetch_service_logs: the service's own output (vLLM, a trainer), numbered, filtered, secrets masked.</summary>
internal sealed class FetchServiceLogsTool(Scenario scenario) : IIncidentTool
{
    public const string ToolName = "fetch_service_logs";
    public const string Source = "logs/service.log";

    public string Name => ToolName;

    public string Description => "Read the model server's or trainer's own log lines (numbered), optionally only those containing one of the topics or at least a level; errors are listed separately.";

    public JsonObject ArgsSchema { get; } = ToolSchema.Object(
        ("window", ToolSchema.Of("string", "Time window as recorded (informational for a recorded scenario).")),
        ("limit", ToolSchema.Of("integer", "Most lines returned (1-5000, default 2000); start and end are kept.")),
        ("level", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("DEBUG", "INFO", "WARNING", "ERROR") }),
        ("topics", ToolSchema.ArrayOf("string", "Substrings (case-insensitive); a line is kept when it contains any.")));

    public Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (scenario.ServiceLog is not string text)
        {
            return Task.FromResult<JsonNode>(ToolResult.NoData($"{Source} is absent"));
        }

        var lines = LogText.Select(text, ToolArgs.Strings(args, "topics"), ToolArgs.String(args, "level"), ToolArgs.Int(args, "limit", 2000, 1, 5000));
        var parsed = new JsonArray();
        var errors = new JsonArray();
        foreach ((int number, string line) in lines)
        {
            if (LogText.LevelOf(line) is string level)
            {
                parsed.Add(new JsonObject { ["line"] = number, ["level"] = level, ["message"] = line });
                if (level == "ERROR")
                {
                    errors.Add(new JsonObject { ["line"] = number, ["text"] = line });
                }
            }
        }

        return Task.FromResult<JsonNode>(ToolResult.Success(new JsonObject
        {
            ["source"] = Source,
            ["window"] = ToolArgs.String(args, "window") ?? scenario.Window,
            ["lines"] = LogText.Numbered(lines),
            ["parsed"] = parsed,
            ["errors"] = errors,
        }));
    }
}
