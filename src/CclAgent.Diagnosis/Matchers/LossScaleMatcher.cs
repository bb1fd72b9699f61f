using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// fp16 loss scaling. A few overflows are normal (the scaler searches for a scale at the start of training);
/// the alarm is the scale collapsing to 1 or the scaler giving up (<c>Current loss scale already at minimum</c>,
/// fairseq's <c>Minimum loss scale reached</c>). Reads DeepSpeed (<c>OVERFLOW! Rank 0 Skipping step. Attempted
/// loss scale: 64, reducing to 32</c>, and <c>…, but hysteresis is 2. Reducing hysteresis to 1</c>), Apex, fairseq (<c>NOTE:
/// overflow detected, setting loss scale to: 0.5</c>, <c>| loss_scale 0.500 |</c>) and Megatron (<c>loss scale: 1.0</c>) forms.
/// </summary>
internal sealed partial class LossScaleMatcher() : LineMatcher("overflow", "loss scale", "loss_scale", "OVERFLOW")
{
    private const int RepeatedThreshold = 20;
    private long _overflows;
    private double? _firstScale;
    private (long Line, long? Step, string Text)? _firstOverflow;
    private (long Line, long? Step, string Text)? _collapse;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        if (AtMinimum().IsMatch(line))
        {
            sink.Add(Signals.LossScaleMinimum, context, line);
            return true;
        }

        Match overflow = Overflow().Match(line);
        if (overflow.Success)
        {
            _overflows++;
            _firstOverflow ??= (context.Line, context.Step, line);
            Observe(overflow.Groups["from"], context, line, reduction: false);
            Observe(overflow.Groups["to"], context, line, reduction: true);
            return true;
        }

        Match metric = MetricScale().Match(line);
        if (metric.Success)
        {
            Observe(metric.Groups["scale"], context, line, reduction: false);
        }

        // A metric line also carries the loss and grad norm, which the non-finite matcher must still see.
        return false;
    }

    public override void Complete(LineContext context, EvidenceSink sink)
    {
        var facts = new Dictionary<string, string> { ["overflows"] = _overflows.ToString(CultureInfo.InvariantCulture) };
        if (_firstScale is double first)
        {
            facts["initial_scale"] = first.ToString("R", CultureInfo.InvariantCulture);
        }

        if (_collapse is { } collapse)
        {
            sink.Add(Signals.LossScaleCollapse, At(context, collapse), collapse.Text, facts);
        }
        else if (_overflows >= RepeatedThreshold && _firstOverflow is { } repeated)
        {
            sink.Add(Signals.Fp16OverflowRepeated, At(context, repeated), repeated.Text, facts);
        }
        else if (_firstOverflow is { } benign)
        {
            sink.Add(Signals.Fp16OverflowBenign, At(context, benign), benign.Text, facts);
        }
    }

    /// <summary>
    /// A scale of 1 or less is a collapse when the scaler cut it there after an overflow (fairseq goes on halving
    /// below 1: 0.25 … 0.000122, fairseq#512; DeepSpeed "reducing to 1", transformers#14531), or when it started higher.
    /// </summary>
    private void Observe(Group group, LineContext context, string line, bool reduction)
    {
        if (!group.Success || !double.TryParse(group.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double scale))
        {
            return;
        }

        _firstScale ??= scale;
        if (scale <= 1 && (reduction || _firstScale > 1) && _collapse is null)
        {
            _collapse = (context.Line, context.Step, line);
        }
    }

    private static LineContext At(LineContext source, (long Line, long? Step, string Text) at) =>
        new(source.Source, source.SourceIndex) { Line = at.Line, Step = at.Step };

    [GeneratedRegex(@"loss scale already at minimum|Minimum loss scale reached|cannot decrease scale anymore", RegexOptions.IgnoreCase)]
    private static partial Regex AtMinimum();

    [GeneratedRegex(@"OVERFLOW!.*?Attempted loss scale: (?<from>[\d.eE+-]+), (?:reducing to (?<to>[\d.eE+-]+)|but hysteresis is \d+)|Gradient overflow\.\s+Skipping step.*?reducing loss scale to (?<to>[\d.eE+-]+)|overflow detected.*?setting (?:loss )?scale to:? (?<to>[\d.eE+-]+)|gradient overflow detected.*?loss scale to:? (?<to>[\d.eE+-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Overflow();

    // "loss scale: 1.0" (Megatron), "loss_scale=0" (fairseq inner), "| loss_scale 0.500 |" (fairseq epoch summary).
    [GeneratedRegex(@"(?<![\w])loss[ _]scale['""]?(?:\s*[:=]\s*|\s+)(?<scale>[\d.]+(?:[eE][-+]?\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex MetricScale();
}
