using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// The Hugging Face Trainer's stdout: <c>str(logs)</c> dicts such as <c>{'loss': 3.5534, 'grad_norm': 1.41, 'learning_rate': 2.05e-06, 'epoch': 0.01}</c>
/// and <c>{'eval_loss': 1.249, …}</c>, interleaved with tqdm bars (<c>10/1752 [00:29&lt;1:22:01,  2.83s/it]</c>), which give
/// the step, the total and the time per iteration that the dicts lack.
/// </summary>
public sealed partial class HuggingFaceParser : ILogParser
{
    private long? _trainTotal;
    private long? _step;
    private double? _secondsPerIteration;

    public LogFormat Format => LogFormat.HuggingFace;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        int brace = text.IndexOf("{'", StringComparison.Ordinal);
        if (brace >= 0)
        {
            return ParseDict(text.AsSpan(brace), line, out record);
        }

        return TryReadProgressBar(text) ? LineKind.Progress : LineKind.Unknown;
    }

    private LineKind ParseDict(ReadOnlySpan<char> dict, long line, out MetricRecord? record)
    {
        record = null;
        var builder = new RecordBuilder();
        if (!DictScanner.Scan(dict, builder))
        {
            return LineKind.Unknown;
        }

        RecordKind? found = builder.HasFinal ? RecordKind.Final : builder.HasTrain ? RecordKind.Train : builder.HasEval ? RecordKind.Eval : null;
        if (found is not RecordKind kind)
        {
            return LineKind.Unknown;
        }

        builder.Step ??= _step;
        builder.MaxStep = _trainTotal;
        if (kind == RecordKind.Train)
        {
            builder.IterTime ??= _secondsPerIteration;
        }

        record = builder.Build(line, kind, LogFormat.HuggingFace);
        return LineKind.Record;
    }

    private bool TryReadProgressBar(string text)
    {
        Match match = ProgressBar().Match(text);
        if (!match.Success)
        {
            return false;
        }

        // A digit run too long for a long (a corrupted bar) is not a bar we can read.
        if (!long.TryParse(match.Groups["n"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long n)
            || !long.TryParse(match.Groups["total"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long total))
        {
            return false;
        }

        // The training bar starts first; later bars with another total are evaluation loops and say nothing about training steps.
        _trainTotal ??= total;
        if (total != _trainTotal)
        {
            return true;
        }

        _step = n;
        if (match.Groups["rate"].Success && double.TryParse(match.Groups["rate"].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate > 0)
        {
            double seconds = match.Groups["unit"].ValueSpan.SequenceEqual("s/it") ? rate : 1.0 / rate;
            _secondsPerIteration = double.IsFinite(seconds) ? seconds : _secondsPerIteration;
        }

        return true;
    }

    [GeneratedRegex(@"(?<n>\d+)/(?<total>\d+) \[[\d:]+<[\d:?]+,\s*(?:(?<rate>[\d.]+)(?<unit>s/it|it/s)|\?it/s)")]
    private static partial Regex ProgressBar();
}
