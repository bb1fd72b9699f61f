using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// A training framework that stopped because the loss diverged, in its own words: NVIDIA retinanet-examples'
/// <c>RuntimeError: Loss is diverging!</c> (with its hint <c>Try lowering the learning rate.</c>), TensorFlow's
/// NanTensorHook <c>Model diverged with loss = NaN.</c> (also raised by tutorials as <c>AssertionError: Model diverged
/// with loss = NaN</c>) and OpenNMT-tf's <c>RuntimeError: Model diverged with loss = NaN.</c>. The framework has already
/// judged the run as diverging, and a learning rate too high for the model and batch is what diverges it (the schedule
/// tuned for 8 GPUs run on fewer, no warmup): that is the cause to name, not the exception that carries it nor the NaN.
/// Runs before the NaN and Python-exception matchers so the line is read as divergence.
/// </summary>
internal sealed partial class DivergenceMatcher() : LineMatcher("diverg")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match diverged = Diverged().Match(line);
        if (!diverged.Success)
        {
            return false;
        }

        // "… with loss = NaN" is also a plain NaN, which bad data (labels out of range) produces as well as a high learning
        // rate (WeiTang114/MVCNN-TensorFlow#8): the second reading is kept, weaker, as a competing candidate. Both are on
        // one line, so neither is read as the other's cascade.
        if (diverged.Groups["value"].Success)
        {
            sink.Add(Signals.LossNonFinite, context, line, Facts(diverged, "value"), weight: 0.6);
        }

        sink.Add(Signals.LossDiverged, context, line, Facts(diverged, "phrase", "value"));
        return true;
    }

    [GeneratedRegex(@"(?<phrase>\b(?:loss (?:is|was) diverging|(?:model|loss|training) diverged)\b)(?: with loss\s*=\s*(?<value>[-+]?(?:nan|inf\w*)))?", RegexOptions.IgnoreCase)]
    private static partial Regex Diverged();
}
