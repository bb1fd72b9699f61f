using System.Runtime.CompilerServices;

namespace CclAgent.Watch.Parsing;

/// <summary>
/// Clinger's fast path for the numbers logs print (<c>0.2526</c>, <c>2.1648e-06</c>, <c>9182</c>): at most 15
/// significant digits and a decimal exponent within ±22, where one multiplication or division by an exact power of ten
/// is correctly rounded, so the result equals <see cref="double.Parse(string)"/>'s. Anything else (more digits, huge
/// exponents, nan, inf, thousands separators) is left to the full parser; it costs several times more per value, and a
/// training line carries a dozen values.
/// </summary>
internal static class FastDecimal
{
    private const int MaxDigits = 15;
    private const int MaxExponent = 22;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    // Runs for every line of a --once pass over a whole log: compiled optimised at once rather than first in the
    // unoptimised tier (docs/benchmarks.md, "watch --once throughput").
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        // One loop over integer and fraction digits, with locals rather than ref parameters, so that everything stays in
        // registers: this runs for every value of every line.
        value = 0;
        int i = 0;
        bool negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            i = 1;
        }

        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        bool any = false;
        bool fraction = false;
        for (; i < text.Length; i++)
        {
            int d = text[i] - '0';
            if ((uint)d > 9)
            {
                if (text[i] != '.' || fraction)
                {
                    break;
                }

                fraction = true;
                continue;
            }

            any = true;

            // Leading zeros are not significant digits ("0.000125" has three).
            if (mantissa != 0 || d != 0)
            {
                if (++digits > MaxDigits)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + d;
            }

            scale += fraction ? 1 : 0;
        }

        if (!any || !TryReadExponent(text, ref i, out int exponent) || i != text.Length)
        {
            return false;
        }

        int power = exponent - scale;
        if (power is < -MaxExponent or > MaxExponent)
        {
            return false;
        }

        double magnitude = power < 0 ? mantissa / PowersOfTen[-power] : mantissa * PowersOfTen[power];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static bool TryReadExponent(ReadOnlySpan<char> text, ref int i, out int exponent)
    {
        exponent = 0;
        if (i >= text.Length || text[i] is not ('e' or 'E'))
        {
            return true;
        }

        i++;
        bool negative = false;
        if (i < text.Length && text[i] is '-' or '+')
        {
            negative = text[i] == '-';
            i++;
        }

        int start = i;
        while (i < text.Length && (uint)(text[i] - '0') <= 9 && i - start < 4)
        {
            exponent = (exponent * 10) + (text[i] - '0');
            i++;
        }

        exponent = negative ? -exponent : exponent;
        return i > start;
    }
}
