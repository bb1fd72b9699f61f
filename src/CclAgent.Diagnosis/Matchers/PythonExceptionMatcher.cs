using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// Python tracebacks: remembers the innermost frame in the user's own code (not site-packages) so a code bug
/// points at file:line, then reports the exception line (<c>IndexError: index out of range in self</c>). Lines
/// already claimed by a more specific matcher (CUDA OOM, NCCL, NaN) never get here.
/// </summary>
internal sealed partial class PythonExceptionMatcher() : LineMatcher("Traceback", "File \"", "Error", "Exception")
{
    private bool _inTraceback;
    private string? _userFrame;
    private string? _function;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        if (line.Contains("Traceback (most recent call last)", StringComparison.Ordinal))
        {
            _inTraceback = true;
            _userFrame = null;
            return true;
        }

        Match frame = Frame().Match(line);
        if (frame.Success)
        {
            string file = frame.Groups["file"].Value;
            if (!IsLibrary(file))
            {
                _userFrame = $"{file}:{frame.Groups["line"].Value}";
                _function = frame.Groups["function"].Value.Trim();
            }

            return true;
        }

        Match exception = Exception().Match(line);
        if (!exception.Success || (!_inTraceback && !KnownType().IsMatch(exception.Groups["short"].Value)))
        {
            return false;
        }

        Report(exception, line, context, sink);
        _inTraceback = false;
        return true;
    }

    private void Report(Match exception, string line, LineContext context, EvidenceSink sink)
    {
        string type = exception.Groups["short"].Value;
        if (type is "KeyboardInterrupt" or "SystemExit" || type.EndsWith("Warning", StringComparison.Ordinal))
        {
            return;
        }

        Dictionary<string, string> facts = Facts(exception, "type", "message");
        if (_userFrame is not null)
        {
            facts["code_location"] = _userFrame;
            facts["function"] = _function ?? string.Empty;
        }

        sink.Add(Signals.PythonException, context, line, facts, variant: type, weight: _inTraceback ? 0.7 : 0.55);
    }

    private static bool IsLibrary(string file) =>
        file.Contains("site-packages", StringComparison.Ordinal) || file.Contains("dist-packages", StringComparison.Ordinal)
        || file.Contains("/lib/python", StringComparison.Ordinal) || file.StartsWith('<');

    [GeneratedRegex(@"^(?:\[rank\d+\]:)?\s*File ""(?<file>[^""]+)"", line (?<line>\d+), in (?<function>.+)$")]
    private static partial Regex Frame();

    [GeneratedRegex(@"^(?:\[rank\d+\]:)?\s*(?<type>(?:[A-Za-z_]\w*\.)*(?<short>[A-Za-z_]\w*(?:Error|Exception|Warning)|KeyboardInterrupt|SystemExit))(?::\s*(?<message>.*))?$")]
    private static partial Regex Exception();

    [GeneratedRegex(@"^(?:TypeError|ValueError|IndexError|KeyError|AttributeError|NameError|AssertionError|ZeroDivisionError|ImportError|ModuleNotFoundError|NotImplementedError|FileNotFoundError|UnboundLocalError|RecursionError|RuntimeError)$")]
    private static partial Regex KnownType();
}
