using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.SemanticKernel;

namespace CclAgent.Llm.Agents;

/// <summary>
/// Builds a <see cref="KernelFunction"/> per <see cref="AgentTool"/>. The model sees the tool's own JSON schema
/// (one SK parameter per schema property, with its sub-schema, description and required flag); the function
/// receives SK's <see cref="KernelArguments"/> and hands the tool a <see cref="JsonObject"/> of them.
/// </summary>
internal static class ToolFunctions
{
    public static KernelFunction Create(AgentTool tool, Func<string, string> redact, int maxResultChars)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var options = new KernelFunctionFromMethodOptions
        {
            FunctionName = tool.Name,
            Description = tool.Description,
            Parameters = Parameters(tool.ParametersSchema),
            ReturnParameter = new KernelReturnParameterMetadata { Description = "JSON result of the tool, with a status of success, error or no_data." },
        };
        return KernelFunctionFactory.CreateFromMethod(
            (KernelArguments arguments, CancellationToken cancellationToken) => InvokeAsync(tool, arguments, redact, maxResultChars, cancellationToken),
            options);
    }

    /// <summary>The model's arguments as JSON: SK keeps them as <see cref="JsonElement"/> (RetainArgumentTypes) or strings.</summary>
    public static JsonObject ToJson(KernelArguments arguments)
    {
        var json = new JsonObject();
        foreach ((string name, object? value) in arguments)
        {
            json[name] = value switch
            {
                null => null,
                JsonElement element => JsonNode.Parse(element.GetRawText()),
                JsonNode node => node.DeepClone(),
                string text => JsonValue.Create(text),
                bool flag => JsonValue.Create(flag),
                int number => JsonValue.Create(number),
                long number => JsonValue.Create(number),
                double number => JsonValue.Create(number),
                _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return json;
    }

    private static async Task<ToolOutcome> InvokeAsync(AgentTool tool, KernelArguments arguments, Func<string, string> redact, int maxResultChars, CancellationToken cancellationToken)
    {
        JsonNode? result;
        try
        {
            result = await tool.InvokeAsync(ToJson(arguments), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A tool is third-party code from the agent's point of view: whatever it throws becomes a structured
            // error the model can read and the trace records, and the run goes on best-effort.
            return ToolResults.FromError("exception", redact($"{ex.GetType().Name}: {ex.Message}"));
        }

        return ToolResults.FromResult(result, redact, maxResultChars);
    }

    private static List<KernelParameterMetadata> Parameters(JsonElement schema)
    {
        var parameters = new List<KernelParameterMetadata>();
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out JsonElement properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return parameters;
        }

        HashSet<string> required = schema.TryGetProperty("required", out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (JsonProperty property in properties.EnumerateObject())
        {
            string? description = property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("description", out JsonElement d) && d.ValueKind == JsonValueKind.String
                ? d.GetString()
                : null;
            parameters.Add(new KernelParameterMetadata(property.Name)
            {
                Description = description,
                IsRequired = required.Contains(property.Name),
                Schema = KernelJsonSchema.Parse(property.Value.GetRawText()),
            });
        }

        return parameters;
    }
}
