using System.Text.Json;
using System.Text.Json.Nodes;
using CclAgent.Core.Files;

namespace CclAgent.Incident.Scenarios;

/// <summary>Reads a recorded scenario directory; a malformed file fails with its name and JSON path.</summary>
internal static class ScenarioReader
{
    private const int MaxTextBytes = 16 * 1024 * 1024;

    public static Scenario Read(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new IncidentInputException($"--scenario {directory}: not a directory");
        }

        return new Scenario
        {
            Directory = directory,
            Meta = Json(directory, "scenario.json", ScenarioSchema.Meta),
            PreTelemetry = Json(directory, "pre_telemetry.json", ScenarioSchema.PreTelemetry),
            Config = Json(directory, "config.json", ScenarioSchema.Config),
            Runtime = Json(directory, "runtime.json", ScenarioSchema.Runtime),
            Gpus = Json(directory, "gpus.json", ScenarioSchema.Gpus),
            ServiceLog = Text(directory, "logs/service.log"),
            DmesgLog = Text(directory, "logs/dmesg.log"),
            JournalLog = Text(directory, "logs/journal.log"),
            MetricsText = Text(directory, "metrics.prom"),
        };
    }

    private static string? Text(string directory, string relative)
    {
        string path = Path.Combine(directory, relative);
        if (!File.Exists(path) && !System.IO.Directory.Exists(path))
        {
            return null;
        }

        if (InputFile.Check(path, "a text file", MaxTextBytes) is string refused)
        {
            throw new IncidentInputException($"{path}: {refused}");
        }

        return File.ReadAllText(path);
    }

    private static JsonObject? Json(string directory, string relative, JsonShape shape)
    {
        string path = Path.Combine(directory, relative);
        return Text(directory, relative) is string text ? Parse(path, text, shape) : null;
    }

    /// <summary>One JSON file outside a scenario directory (--service-config), checked against <paramref name="shape"/>.</summary>
    internal static JsonObject? ReadJsonFile(string path, JsonShape shape)
    {
        string? text = Text(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(path));
        return text is null ? null : Parse(path, text, shape);
    }

    private static JsonObject Parse(string path, string text, JsonShape shape)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            string at = ex.Path ?? "$";
            throw new IncidentInputException($"{path}: {at}: invalid JSON (line {ex.LineNumber + 1}); expected a JSON object");
        }

        if (node is not JsonObject obj)
        {
            throw new IncidentInputException($"{path}: $: expected a JSON object");
        }

        if (shape.Check(obj, "$") is string problem)
        {
            throw new IncidentInputException($"{path}: {problem}");
        }

        return obj;
    }
}
