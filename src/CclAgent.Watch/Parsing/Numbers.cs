using System.Globalization;
using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Parsing;

/// <summary>Number and duration parsing for log values, including Python's nan/inf spellings.</summary>
public static class Numbers
{
    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    /// <summary>Parses a float as Python or C prints it: <c>1.000e-02</c>, <c>nan</c>, <c>inf</c>, <c>-Infinity</c>, <c>NaN</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        if (text.Length == 0)
        {
            value = 0;
            return false;
        }

        if (FastDecimal.TryParse(text, out value))
        {
            return true;
        }

        // A log pasted into a GitHub issue carries Markdown emphasis inside the line ("loss: nan**").
        if (text[^1] is '*' or '`' || text[0] is '*' or '`')
        {
            ReadOnlySpan<char> bare = text.Trim("*`");
            return bare.Length > 0 && bare.Length < text.Length && TryParse(bare, out value);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            // A literal too large for a double (1e309, a 400-digit run) overflows to infinity: no framework prints that
            // for a real value (Python prints inf), so it is garbage, not a diverged metric.
            return !double.IsInfinity(value) || !text.ContainsAnyInRange('0', '9');
        }

        ReadOnlySpan<char> body = text[0] is '-' or '+' ? text[1..] : text;
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return false;
    }

    /// <summary>Parses a memory value in MB: <c>9182</c> (MMEngine, MB), <c>1962M</c> (detectron2), <c>12.5G</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseMegabytes(ReadOnlySpan<char> text, out double megabytes)
    {
        double scale = 1;
        if (text.Length > 1 && char.IsLetter(text[^1]))
        {
            scale = char.ToUpperInvariant(text[^1]) switch { 'M' => 1, 'G' => 1024, 'K' => 1.0 / 1024, _ => double.NaN };
            text = text[..^1];
        }

        bool ok = TryParse(text, out megabytes) && !double.IsNaN(scale);
        bool finite = double.IsFinite(megabytes);
        megabytes *= scale;
        return ok && (double.IsFinite(megabytes) || !finite);
    }

    /// <summary>Parses Python's timedelta text: <c>0:22:36</c>, <c>8:27:55</c>, <c>1 day, 2:03:04</c>, <c>05:10</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseDuration(ReadOnlySpan<char> text, out double seconds)
    {
        seconds = 0;
        int comma = text.IndexOf(',');
        if (comma >= 0)
        {
            ReadOnlySpan<char> days = text[..comma].Trim();
            int space = days.IndexOf(' ');
            if (space < 0 || !int.TryParse(days[..space], NumberStyles.Integer, CultureInfo.InvariantCulture, out int d))
            {
                return false;
            }

            seconds = d * 86400.0;
            text = text[(comma + 1)..].Trim();
        }

        double total = 0;
        int parts = 0;
        foreach (Range part in text.Split(':'))
        {
            // The parts are small integers (or "36.5" seconds): the decimal fast path reads them without the full parser.
            if (!TryParse(text[part], out double v) || !double.IsFinite(v))
            {
                return false;
            }

            total = (total * 60) + v;
            parts++;
        }

        seconds += total;
        return parts is >= 2 and <= 3 && double.IsFinite(seconds);
    }
}
