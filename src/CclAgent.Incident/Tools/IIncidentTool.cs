using System.Text.Json.Nodes;

namespace CclAgent.Incident.Tools;

/// <summary>
/// One tool of the incident agent, shaped so that it can later be exposed as a model function (Semantic Kernel /
/// Microsoft.Extensions.AI): a name, a description, a JSON schema of its arguments, and JSON in, JSON out. Every
/// result carries <c>status</c> (success, error, no_data); errors are <c>{kind, message}</c> objects, never exceptions.
/// </summary>
public interface IIncidentTool
{
    string Name { get; }

    string Description { get; }

    /// <summary>JSON schema (draft 2020-12 subset: type, properties, items, enum) of the arguments object.</summary>
    JsonObject ArgsSchema { get; }

    Task<JsonNode> InvokeAsync(JsonObject args, CancellationToken cancellationToken);
}
