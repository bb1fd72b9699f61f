using System.Globalization;
using System.Text.RegularExpressions;

namespace CclAgent.Diagnosis.Code;

/// <summary>
/// Whole-script facts the line rules need: where backward/step/zero_grad/clipping/fp16/scaler appear, and
/// the numeric constants (NAME = 3e-4, argparse defaults) that an optimizer's lr= may refer to.
/// </summary>
internal sealed partial class ScriptFacts
{
    private readonly Dictionary<string, double> _constants = new(StringComparer.Ordinal);

    public ScriptFacts(IReadOnlyList<string> lines)
    {
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            Backward ??= line.Contains(".backward(", StringComparison.Ordinal) ? i : null;
            Step ??= OptimizerStep().IsMatch(line) ? i : null;
            ZeroGrad ??= line.Contains("zero_grad", StringComparison.Ordinal) ? i : null;
            Clip ??= Clipping().IsMatch(line) ? i : null;
            Fp16 ??= Half().IsMatch(line) ? i : null;
            HalfModel ??= ModelHalf().IsMatch(line) ? i : null;
            Scaler ??= LossScaler().IsMatch(line) ? i : null;
            AdamLine ??= Adam().IsMatch(line) && !line.Contains("eps", StringComparison.Ordinal) ? i : null;
            Collect(line);
        }
    }

    public int? Backward { get; }
    public int? Step { get; }
    public int? ZeroGrad { get; }
    public int? Clip { get; }
    public int? Fp16 { get; }
    public int? HalfModel { get; }
    public int? Scaler { get; }
    public int? AdamLine { get; }

    /// <summary>A literal number, or a name/args.name defined as a number in the script.</summary>
    public double? Resolve(string expression)
    {
        if (double.TryParse(expression, NumberStyles.Float, CultureInfo.InvariantCulture, out double literal))
        {
            return literal;
        }

        string name = expression.Contains('.', StringComparison.Ordinal) ? expression[(expression.LastIndexOf('.') + 1)..] : expression;
        return _constants.TryGetValue(name, out double value) ? value : null;
    }

    private void Collect(string line)
    {
        Match assignment = Constant().Match(line);
        if (assignment.Success && double.TryParse(assignment.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            _constants.TryAdd(assignment.Groups["name"].Value, value);
        }

        Match argument = ArgparseDefault().Match(line);
        if (argument.Success && double.TryParse(argument.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double fallback))
        {
            _constants.TryAdd(argument.Groups["name"].Value.Replace('-', '_'), fallback);
        }
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_]\w*)\s*(?::\s*float\s*)?=\s*(?<value>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*$")]
    private static partial Regex Constant();

    [GeneratedRegex(@"add_argument\(\s*['""]--(?<name>[\w-]+)['""].*?default\s*=\s*(?<value>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)")]
    private static partial Regex ArgparseDefault();

    [GeneratedRegex(@"\b(?:optimizer|optim|opt)\w*\.step\(\)")]
    private static partial Regex OptimizerStep();

    [GeneratedRegex(@"clip_grad_(?:norm|value)_?\(|max_grad_norm|gradient_clipping|clip_grad|grad_clip")]
    private static partial Regex Clipping();

    [GeneratedRegex(@"torch\.float16|torch\.half\b|\.half\(\)|\bfp16\s*=\s*True|['""]fp16['""]\s*:\s*\{|autocast\((?![^)]*bfloat16)[^)]*\)")]
    private static partial Regex Half();

    [GeneratedRegex(@"\bmodel\w*\s*=\s*.*\.half\(\)|\bmodel\w*\.half\(\)")]
    private static partial Regex ModelHalf();

    [GeneratedRegex(@"GradScaler|loss_scale|scaler\.scale|LossScaler|amp\.initialize|deepspeed|accelerate|Trainer\(")]
    private static partial Regex LossScaler();

    [GeneratedRegex(@"\bAdamW?\s*\(")]
    private static partial Regex Adam();
}
