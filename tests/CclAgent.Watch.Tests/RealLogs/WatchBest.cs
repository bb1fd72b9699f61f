using System.Text.Json;

namespace CclAgent.Watch.Tests.RealLogs;

/// <summary>The best value of the tracked metric, as the summary reports it at the end of the log.</summary>
internal sealed record WatchBest(string Metric, double Value, bool HigherIsBetter, int Line)
{
    public static WatchBest From(JsonElement best) => new(
        best.GetProperty("metric").GetString()!,
        best.GetProperty("value").GetDouble(),
        best.GetProperty("direction").GetString() == "higher_is_better",
        best.GetProperty("line").GetInt32());

    /// <summary>Is this value better than <paramref name="earlier"/> by more than <paramref name="minDelta"/> (relative)?</summary>
    public bool ImprovesOn(double earlier, double minDelta)
    {
        double margin = minDelta * Math.Abs(earlier);
        return HigherIsBetter ? Value > earlier + margin : Value < earlier - margin;
    }
}
