using System.Text.Json;

namespace CclAgent.Core.Tools;

/// <summary>Names a tool call for the trace: which tool, in which phase and step, with which arguments.</summary>
public sealed record ToolCall(string Tool, string Phase, int? Step = null)
{
    public JsonElement? Arguments { get; init; }

    /// <summary>Turns the result into the tool.result payload; null writes none.</summary>
    public Func<object, JsonElement?>? DescribeResult { get; init; }
}
