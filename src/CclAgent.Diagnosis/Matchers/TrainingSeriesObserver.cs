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

    // The characters of a metric value ([-+]?digits[.digits][e[-+]digits]); what precedes a value (':', '=', a blank,
    // "tensor(") never is one, so the value is the trailing run of these.
    private static readonly System.Buffers.SearchValues<char> NumberChars = System.Buffers.SearchValues.Create("0123456789.eE+-");

    private readonly RollingWindow _loss = new(Window);
    private readonly RollingWindow _gradNorm = new(Window);
    private readonly char[] _lastLr = new char[32];
    private int _lastLrLength;
    private int _zeros;

    /// <summary>The words a metric line carries; <see cref="KeywordGate"/> decides on them before the observer runs.</summary>
    public static IReadOnlyList<string> Keywords { get; } = ["loss", "norm", "step", "iter", "epoch"];

    /// <summary>
    /// Reads the step and the metrics of one line, on the span: the regexes only find where each match is, and the key
    /// and value are read back from the match. A metric line so costs no allocation; it becomes a string only as evidence.
    /// </summary>
    public void Observe(ReadOnlySpan<char> line, LineContext context, EvidenceSink sink) => Apply(Plan(line), line, null, context, sink);

    /// <summary>
    /// The same for a line of a known template: the plan is made once, on the template, and each later line of it only
    /// parses its numbers where the plan says they are.
    /// </summary>
    public void Observe(ReadOnlySpan<char> line, KeywordGate gate, TemplateInfo template, LineContext context, EvidenceSink sink)
    {
        template.Plan ??= Plan(gate.Template);
        Apply(template.Plan, line, gate, context, sink);
    }

    /// <summary>
    /// Where the step and the metrics are in <paramref name="text"/>: the first step match's digits (the trailing run of
    /// <c>step 1200</c>, the second bracket of <c>Epoch [3][700/3953]</c>) and every metric match's value (the trailing
    /// run of number characters), with its kind from the key (grad norm when it contains "norm", loss when it contains
    /// "loss", else the learning rate).
    /// </summary>
    internal static SeriesPlan Plan(ReadOnlySpan<char> text)
    {
        (int stepStart, int stepEnd) = (-1, -1);
        foreach (ValueMatch step in StepPattern().EnumerateMatches(text))
        {
            (stepStart, stepEnd) = StepDigits(text.Slice(step.Index, step.Length), step.Index);
            break;
        }

        var starts = new List<int>();
        var ends = new List<int>();
        var kinds = new List<MetricKind>();
        foreach (ValueMatch metric in Metric().EnumerateMatches(text))
        {
            ReadOnlySpan<char> match = text.Slice(metric.Index, metric.Length);
            int valueStart = match.LastIndexOfAnyExcept(NumberChars) + 1;
            ReadOnlySpan<char> key = match[..valueStart];
            starts.Add(metric.Index + valueStart);
            ends.Add(metric.Index + metric.Length);
            kinds.Add(key.Contains("norm", StringComparison.OrdinalIgnoreCase) ? MetricKind.GradNorm
                : key.Contains("loss", StringComparison.OrdinalIgnoreCase) ? MetricKind.Loss : MetricKind.LearningRate);
        }

        return new SeriesPlan(stepStart, stepEnd, [.. starts], [.. ends], [.. kinds]);
    }

    private void Apply(SeriesPlan plan, ReadOnlySpan<char> line, KeywordGate? gate, LineContext context, EvidenceSink sink)
    {
        if (plan.StepStart >= 0 && long.TryParse(line[Map(gate, plan.StepStart, plan.StepEnd)], NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            context.Step = n;
        }

        for (int i = 0; i < plan.Kinds.Length; i++)
        {
            ReadOnlySpan<char> text = line[Map(gate, plan.ValueStarts[i], plan.ValueEnds[i])];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                continue;
            }

            switch (plan.Kinds[i])
            {
                case MetricKind.GradNorm:
                    ObserveGradNorm(value, line, context, sink);
                    break;
                case MetricKind.Loss:
                    ObserveLoss(value, line, context, sink);
                    break;
                default:
                    _lastLrLength = Math.Min(text.Length, _lastLr.Length);
                    text[.._lastLrLength].CopyTo(_lastLr);
                    break;
            }
        }
    }

    private static Range Map(KeywordGate? gate, int start, int end) => gate is null ? new Range(start, end) : gate.LineRange(start, end);

    /// <summary>The range of a step match's digits, given the match and where it starts.</summary>
    private static (int Start, int End) StepDigits(ReadOnlySpan<char> match, int offset)
    {
        if (match[^1] == ']')
        {
            int start = match.IndexOf("][", StringComparison.Ordinal) + 2;
            return (offset + start, offset + start + match[start..].IndexOf('/'));
        }

        return (offset + match.LastIndexOfAnyExceptInRange('0', '9') + 1, offset + match.Length);
    }

    private void ObserveLoss(double value, ReadOnlySpan<char> line, LineContext context, EvidenceSink sink)
    {
        _zeros = value == 0 ? _zeros + 1 : 0;
        if (_zeros == ZeroRun)
        {
            sink.Add(Signals.LossExactZero, context, line.ToString(), new Dictionary<string, string> { ["consecutive"] = ZeroRun.ToString(CultureInfo.InvariantCulture) });
        }

        if (_loss.Count >= MinHistory && value >= 3 * _loss.Min())
        {
            (double median, double mad) = _loss.Stats();
            if (value >= 3 * median && value - median >= 6 * Math.Max(mad, 1e-6 * Math.Abs(median)) && median > 0)
            {
                sink.Add(Signals.LossSpike, context, line.ToString(), Spike(value, median));
            }
        }

        _loss.Add(value);
    }

    private void ObserveGradNorm(double value, ReadOnlySpan<char> line, LineContext context, EvidenceSink sink)
    {
        if (_gradNorm.Count >= MinHistory / 2 && value >= 10 * _gradNorm.Min())
        {
            (double median, double mad) = _gradNorm.Stats();
            if (value >= 10 * median && value - median >= 10 * Math.Max(mad, 1e-6 * Math.Abs(median)) && median > 0)
            {
                sink.Add(Signals.GradNormExplosion, context, line.ToString(), Spike(value, median));
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
        if (_lastLrLength > 0)
        {
            facts["lr"] = new string(_lastLr, 0, _lastLrLength);
        }

        return facts;
    }

    [GeneratedRegex(@"(?:(?<![\w])(?:global_step|step|iteration|iter)\s*[=:]?\s*\[?\s*(?<step>\d+)|Epoch \[\d+\]\[(?<step>\d+)/\d+\])", RegexOptions.IgnoreCase)]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"(?<![\w/])['""]?(?<key>lm loss|train[_/]loss|loss|grad[_ -]norm|gnorm|learning[_ ]rate|lr)['""]?\s*[:=]\s*(?:tensor\()?(?<value>[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?))", RegexOptions.IgnoreCase)]
    private static partial Regex Metric();
}
