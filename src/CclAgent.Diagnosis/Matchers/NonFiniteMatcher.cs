using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// NaN/Inf loss and gradient norm: <c>FloatingPointError: Loss became infinite or NaN at iteration=2137!</c>,
/// <c>'loss_cls': tensor(nan, …)</c>, <c>grad_norm: nan</c>, <c>{'loss': inf, …}</c>, and autograd anomaly mode's
/// <c>Function 'LogBackward0' returned nan values in its 0th output</c>.
/// </summary>
internal sealed partial class NonFiniteMatcher() : LineMatcher("nan", "infinite", ": inf", "=inf", "(inf", "-inf", "non-finite", "boxes1[:, 2:]")
{
    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        Match became = Became().Match(line);
        if (became.Success)
        {
            Dictionary<string, string> facts = Facts(became, "iteration");
            if (facts.TryGetValue("iteration", out string? iteration))
            {
                context.Step = long.Parse(iteration, System.Globalization.CultureInfo.InvariantCulture);
            }

            sink.Add(Signals.LossNonFinite, context, line, facts);
            return true;
        }

        // DETR-family losses assert that predicted boxes are well formed; they stop being so when the predictions go NaN
        // (facebookresearch/detr#285: after raising the learning rate).
        if (line.Contains("assert (boxes1[:, 2:] >= boxes1[:, :2]).all()", StringComparison.Ordinal))
        {
            sink.Add(Signals.DegenerateBoxes, context, line);
            return true;
        }

        Match anomaly = Anomaly().Match(line);
        if (anomaly.Success)
        {
            sink.Add(Signals.AnomalyNan, context, line, Facts(anomaly, "function"));
            return true;
        }

        Match value = Value().Match(line);
        if (value.Success)
        {
            string key = value.Groups["key"].Value;
            bool grad = key.Contains("norm", StringComparison.OrdinalIgnoreCase);
            sink.Add(grad ? Signals.GradNormNonFinite : Signals.LossNonFinite, context, line, Facts(value, "key", "value"));
            return true;
        }

        if (Phrase().IsMatch(line))
        {
            sink.Add(Signals.LossNonFinite, context, line);
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"Loss became (?:infinite or )?(?:NaN|nan|inf\w*)(?: at iteration=(?<iteration>\d+))?", RegexOptions.IgnoreCase)]
    private static partial Regex Became();

    [GeneratedRegex(@"Function '(?<function>\w+)' returned nan values")]
    private static partial Regex Anomaly();

    [GeneratedRegex(@"(?<![\w])['""]?(?<key>[\w/ ]*?(?:loss|grad[_ -]?norm|gnorm)[\w/]*)['""]?\s*[:=]\s*(?:tensor\()?\s*(?<value>[-+]?(?:nan|inf(?:inity)?))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Value();

    [GeneratedRegex(@"\b(?:nan|inf) (?:loss|gradients?|values?) (?:detected|encountered|found)|\bloss (?:is|was) (?:nan|inf)|non-finite (?:loss|gradients?|values?)|detected (?:nan|inf)\b|encounter(?:ed|s)? (?:a )?(?:nan|inf)s? in (?:the )?(?:gradients?|loss|grad)", RegexOptions.IgnoreCase)]
    private static partial Regex Phrase();
}
