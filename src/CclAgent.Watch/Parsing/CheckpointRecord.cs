using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>A framework's own "saved a checkpoint" line as a record.</summary>
internal static class CheckpointRecord
{
    public static MetricRecord Create(long line, LogFormat format, long? step, ReadOnlySpan<char> path) => new()
    {
        Line = line,
        Kind = RecordKind.Checkpoint,
        Format = format,
        Step = step,
        CheckpointPath = path.Trim().ToString(),
    };
}
