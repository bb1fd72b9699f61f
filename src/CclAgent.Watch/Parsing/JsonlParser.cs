using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// One object of scalars per line: MMEngine's <c>vis_data/scalars.json</c> (<c>{"lr": 0.001, "loss": 5.03, "time": 0.24, "epoch": 1, "step": 10}</c>),
/// detectron2's <c>metrics.json</c>, or any JSON-lines logger. Python's NaN and Infinity are accepted, since that is what
/// <c>json.dumps</c> writes for a diverged loss.
/// </summary>
public sealed class JsonlParser : ILogParser
{
    public LogFormat Format => LogFormat.Jsonl;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length < 2 || trimmed[0] != '{' || trimmed[1..].TrimStart() is not ['"', ..])
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder();
        if (!DictScanner.Scan(trimmed, builder))
        {
            return LineKind.Unknown;
        }

        if (builder.HasTrain)
        {
            record = builder.Build(line, builder.HasFinal ? RecordKind.Final : RecordKind.Train, LogFormat.Jsonl);
            return LineKind.Record;
        }

        if (builder.HasEval)
        {
            record = builder.Build(line, RecordKind.Eval, LogFormat.Jsonl);
            return LineKind.Record;
        }

        return LineKind.Unknown;
    }
}
