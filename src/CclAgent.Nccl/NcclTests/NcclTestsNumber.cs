using System.Globalization;

namespace CclAgent.Nccl.NcclTests;

/// <summary>
/// How nccl-tests prints and how we read its numbers. Printing mirrors getFloatStr in nccl-tests'
/// src/util.cu: "%*.2f", falling back to "%*.1f", "%*.0f" and then e-notation when the value does not fit
/// the column, so a parser must accept all four shapes.
/// </summary>
public static class NcclTestsNumber
{
    /// <summary>getFloatStr(value, width): right-aligned in <paramref name="width"/> characters, precision dropped until it fits.</summary>
    public static string Format(double value, int width)
    {
        foreach (string format in new[] { "F2", "F1", "F0" })
        {
            string text = value.ToString(format, CultureInfo.InvariantCulture);
            if (text.Length <= width)
            {
                return text.PadLeft(width);
            }
        }

        return CFormatExponent(value, width >= 7 ? 1 : 0).PadLeft(width);
    }

    /// <summary>C's "%g" (6 significant digits, trailing zeros removed), as the footer prints the average.</summary>
    public static string FormatG(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        // The exponent after rounding to 6 significant digits decides between fixed and e-notation, as in C.
        string rounded = value.ToString("E5", CultureInfo.InvariantCulture);
        int exponent = int.Parse(rounded.AsSpan(rounded.IndexOf('E', StringComparison.Ordinal) + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= 6)
        {
            string mantissa = rounded[..rounded.IndexOf('E', StringComparison.Ordinal)].TrimEnd('0').TrimEnd('.');
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        string fixedText = value.ToString("F" + Math.Max(0, 5 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return fixedText.Contains('.', StringComparison.Ordinal) ? fixedText.TrimEnd('0').TrimEnd('.') : fixedText;
    }

    /// <summary>Reads a numeric cell: fixed, integer or e-notation; null for N/A or anything else.</summary>
    public static double? Parse(ReadOnlySpan<char> token) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) ? value : null;

    /// <summary>C's "%.Ne": mantissa with N decimals, exponent with sign and at least two digits.</summary>
    private static string CFormatExponent(double value, int decimals)
    {
        string text = value.ToString((decimals == 0 ? "0" : "0." + new string('0', decimals)) + "e+00", CultureInfo.InvariantCulture);
        return text;
    }
}
