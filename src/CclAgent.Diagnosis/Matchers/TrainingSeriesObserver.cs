using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Reads the training metrics every line carries (step, loss, grad norm) without claiming the line, and
/// judges the sequence: a loss spike is a value ≥ 3× the median of the last 32 and ≥ 6 MADs above it;
/// a grad-norm explosion is ≥ 10× the median and ≥ 10 MADs above it; five exact 0.0 losses in a row are
/// a red flag (usually every label masked). It also tracks the step each later line belongs to.
/// </summary>
internal sealed partial class TrainingSeriesObserver
{
    private const int Window = 32;
    private const int MinHistory = 16;
    private const int ZeroRun = 5;
    private static readonly System.Buffers.SearchValues<string> Keywords =
        System.Buffers.SearchValues.Create(["loss", "norm", "step", "iter", "epoch"], StringComparison.OrdinalIgnoreCase);

    private readonly RollingWindow _loss = new(Window);
    private readonly RollingWindow _gradNorm = new(Window);
    private int _zeros;
    private string? _lastLr;

    public static bool MayMatch(ReadOnlySpan<char> line) => line.ContainsAny(Keywords);

    public void Observe(string line, LineContext context, EvidenceSink sink)
    {
        Match step = StepPattern().Match(line);
        if (step.Success && long.TryParse(step.Groups["step"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            context.Step = n;
        }

        foreach (Match metric in Metric().Matches(line))
        {
            string key = metric.Groups["key"].Value.ToLowerInvariant();
            if (!double.TryParse(metric.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                continue;
            }

            if (key.Contains("norm", StringComparison.Ordinal))
            {
                ObserveGradNorm(value, line, context, sink);
            }
            else if (key.Contains("loss", StringComparison.Ordinal))
            {
                ObserveLoss(value, line, context, sink);
            }
            else
            {
                _lastLr = metric.Groups["value"].Value;
            }
        }
    }

    private void ObserveLoss(double value, string line, LineContext context, EvidenceSink sink)
    {
        _zeros = value == 0 ? _zeros + 1 : 0;
        if (_zeros == ZeroRun)
        {
            sink.Add(Signals.LossExactZero, context, line, new Dictionary<string, string> { ["consecutive"] = ZeroRun.ToString(CultureInfo.InvariantCulture) });
        }

        if (_loss.Count >= MinHistory && value >= 3 * _loss.Min())
        {
            (double median, double mad) = _loss.Stats();
            if (value >= 3 * median && value - median >= 6 * Math.Max(mad, 1e-6 * Math.Abs(median)) && median > 0)
            {
                sink.Add(Signals.LossSpike, context, line, Spike(value, median));
            }
        }

        _loss.Add(value);
    }

    private void ObserveGradNorm(double value, string line, LineContext context, EvidenceSink sink)
    {
        if (_gradNorm.Count >= MinHistory / 2 && value >= 10 * _gradNorm.Min())
        {
            (double median, double mad) = _gradNorm.Stats();
            if (value >= 10 * median && value - median >= 10 * Math.Max(mad, 1e-6 * Math.Abs(median)) && median > 0)
            {
                sink.Add(Signals.GradNormExplosion, context, line, Spike(value, median));
            }
        }

        _gradNorm.Add(value);
    }

    private Dictionary<string, string> Spike(double value, double median)
    {
        var facts = new Dictionary<string, string>
        {
            ["value"] = value.ToString("G6", CultureInfo.InvariantCulture),
            ["recent_median"] = median.ToString("G6", CultureInfo.InvariantCulture),
            ["ratio"] = (value / median).ToString("0.0", CultureInfo.InvariantCulture),
        };
        if (_lastLr is not null)
        {
            facts["lr"] = _lastLr;
        }

        return facts;
    }

    [GeneratedRegex(@"(?:(?<![\w])(?:global_step|step|iteration|iter)\s*[=:]?\s*\[?\s*(?<step>\d+)|Epoch \[\d+\]\[(?<step>\d+)/\d+\])", RegexOptions.IgnoreCase)]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"(?<![\w/])['""]?(?<key>lm loss|train[_/]loss|loss|grad[_ -]norm|gnorm|learning[_ ]rate|lr)['""]?\s*[:=]\s*(?:tensor\()?(?<value>[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?))", RegexOptions.IgnoreCase)]
    private static partial Regex Metric();
}
