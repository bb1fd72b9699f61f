using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// allenai/OLMo's console metrics: a header line <c>… olmo.train:979	INFO	[step=3/2500,epoch=0]</c>, then one indented
/// <c>name=value</c> line per metric, sorted by name (<c>optim/total_grad_norm=53.83</c>, <c>optim/learning_rate_group0=…</c>,
/// <c>train/CrossEntropyLoss=10.72</c>, <c>eval/…/CrossEntropyLoss=…</c>, <c>throughput/…</c>). The record is emitted at the
/// loss line with what the block said before it (the optimizer's lines sort first).
/// </summary>
public sealed class OlmoParser : ILogParser
{
    private const string Header = "[step=";
    private long? _step;
    private long? _maxStep;
    private double? _epoch;
    private double? _gradNorm;
    private double? _learningRate;

    public LogFormat Format => LogFormat.Olmo;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text;
        int header = span.IndexOf(Header, StringComparison.Ordinal);
        if (header >= 0 && span.TrimEnd().EndsWith(']'))
        {
            return ReadHeader(span[(header + Header.Length)..].TrimEnd()) ? LineKind.Progress : LineKind.Unknown;
        }

        if (_step is null || span.Length == 0 || !char.IsWhiteSpace(span[0]))
        {
            return LineKind.Unknown;
        }

        ReadOnlySpan<char> pair = span.Trim();
        int equals = pair.IndexOf('=');
        if (equals <= 0 || !Numbers.TryParse(pair[(equals + 1)..], out double value))
        {
            return LineKind.Unknown;
        }

        return ReadMetric(pair[..equals], value, line, out record);
    }

    private bool ReadHeader(ReadOnlySpan<char> fields)
    {
        // "3/2500,epoch=0]"
        int i = 0;
        if (!LineText.TryReadLong(fields, ref i, out long step))
        {
            return false;
        }

        _maxStep = LineText.TryExpect(fields, ref i, "/") && LineText.TryReadLong(fields, ref i, out long max) ? max : null;
        int epoch = fields.IndexOf("epoch=", StringComparison.Ordinal);
        _epoch = epoch >= 0 && Numbers.TryParse(fields[(epoch + 6)..^1], out double e) ? e : null;
        _step = step;
        _gradNorm = null;
        _learningRate = null;
        return true;
    }

    private LineKind ReadMetric(ReadOnlySpan<char> name, double value, long line, out MetricRecord? record)
    {
        record = null;
        if (name is "optim/total_grad_norm")
        {
            _gradNorm = value;
            return LineKind.Progress;
        }

        if (name.StartsWith("optim/learning_rate", StringComparison.Ordinal))
        {
            _learningRate ??= value;
            return LineKind.Progress;
        }

        if (name.StartsWith("eval/", StringComparison.Ordinal) && name.EndsWith("CrossEntropyLoss", StringComparison.Ordinal))
        {
            var eval = new RecordBuilder { Step = _step, MaxStep = _maxStep, Epoch = _epoch };
            eval.AddEval(name, value);
            record = eval.Build(line, RecordKind.Eval, Format);
            return LineKind.Record;
        }

        if (name is not "train/CrossEntropyLoss")
        {
            return LineKind.Unknown;
        }

        var builder = new RecordBuilder { Step = _step, MaxStep = _maxStep, Epoch = _epoch, Loss = value, GradNorm = _gradNorm, LearningRate = _learningRate };
        record = builder.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }
}
