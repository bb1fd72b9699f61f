using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Watch.Records;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// PyTorch Lightning's tqdm progress bar: <c>Epoch 0:  92%|███▏| 932/1016 [00:33&lt;00:03, 27.70it/s, loss=0.223, v_num=77, acc=0.875]</c>
/// (<c>1/? [00:20&lt;00:00,  0.05it/s, v_num=0, train_loss=14.60]</c> when the epoch length is unknown). The postfix holds
/// what the module logged with <c>prog_bar=True</c>: <c>loss</c>/<c>train_loss</c> is the training loss, <c>val_*</c> the
/// last validation, which the bar repeats on every refresh, so an evaluation is reported only when its values change.
/// <c>Validation DataLoader 0: …</c> bars are progress.
/// </summary>
public sealed partial class LightningParser : ILogParser
{
    private IReadOnlyList<Metric> _lastEval = [];

    public LogFormat Format => LogFormat.Lightning;

    public LineKind Parse(string text, long line, out MetricRecord? record)
    {
        record = null;
        ReadOnlySpan<char> span = text.AsSpan().TrimStart();
        if (span.StartsWith("Validation DataLoader ", StringComparison.Ordinal) || span.StartsWith("Sanity Checking", StringComparison.Ordinal))
        {
            return span.Contains("it/s", StringComparison.Ordinal) ? LineKind.Progress : LineKind.Unknown;
        }

        if (!span.StartsWith("Epoch ", StringComparison.Ordinal) || span.IndexOf('|') < 0)
        {
            return LineKind.Unknown;
        }

        Match bar = Bar().Match(text);
        return bar.Success ? FromBar(bar, text, line, out record) : LineKind.Unknown;
    }

    private LineKind FromBar(Match bar, string text, long line, out MetricRecord? record)
    {
        record = null;
        long epoch = long.Parse(bar.Groups["epoch"].ValueSpan, CultureInfo.InvariantCulture);
        long n = long.Parse(bar.Groups["n"].ValueSpan, CultureInfo.InvariantCulture);
        var train = new RecordBuilder { Epoch = epoch };
        if (long.TryParse(bar.Groups["total"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long total))
        {
            // The bar restarts every epoch: the global step counts the epochs before this one.
            train.Step = (epoch * total) + n;
        }

        if (double.TryParse(bar.Groups["rate"].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate > 0)
        {
            train.IterTime = bar.Groups["unit"].ValueSpan is "s/it" ? rate : 1 / rate;
        }

        var eval = new RecordBuilder { Epoch = epoch, Step = train.Step };
        ReadOnlySpan<char> postfix = text.AsSpan(bar.Index + bar.Length);
        Span<KeyValueSpan> pairs = stackalloc KeyValueSpan[32];
        int count = KeyValueScanner.Scan(postfix, 0, pairs);
        foreach (KeyValueSpan pair in pairs[..count])
        {
            ReadOnlySpan<char> key = postfix.Slice(pair.KeyStart, pair.KeyLength);
            ReadOnlySpan<char> value = postfix.Slice(pair.ValueStart, pair.ValueLength).TrimEnd(']');
            if (!Numbers.TryParse(value, out double number))
            {
                continue;
            }

            if (key.StartsWith("val", StringComparison.Ordinal))
            {
                eval.AddEval(key, number);
            }
            else if (key is "loss" or "train_loss" or "train_loss_step")
            {
                train.Loss = number;
            }
        }

        if (eval.HasEval)
        {
            MetricRecord evaluation = eval.Build(line, RecordKind.Eval, Format);
            if (!evaluation.Eval.SequenceEqual(_lastEval))
            {
                _lastEval = evaluation.Eval;
                record = evaluation;
                return LineKind.Record;
            }
        }

        if (train.Loss is null)
        {
            return LineKind.Progress;
        }

        record = train.Build(line, RecordKind.Train, Format);
        return LineKind.Record;
    }

    [GeneratedRegex(@"^\s*Epoch (?<epoch>\d+):[^|]*\|[^|]*\|\s*(?<n>\d+)/(?<total>\d+|\?) \[[\d:]+<[\d:?]+,\s*(?:(?<rate>[\d.]+)(?<unit>s/it|it/s)|\?it/s)")]
    private static partial Regex Bar();
}
