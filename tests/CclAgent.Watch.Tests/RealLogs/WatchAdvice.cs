using System.Text.Json;

namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>One early-stop advice event: where it came, on which metric and best value, and the checkpoint it names.</summary>
internal sealed record WatchAdvice(int Line, string Metric, double Best, double MinDelta, string? Checkpoint)
{
    public static WatchAdvice From(JsonElement advice) => new(
        advice.GetProperty("line").GetInt32(),
        advice.GetProperty("metric").GetString()!,
        advice.GetProperty("best").GetDouble(),
        advice.TryGetProperty("min_delta", out JsonElement d) ? d.GetDouble() : 0.01,
        advice.TryGetProperty("checkpoint", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null);
}
