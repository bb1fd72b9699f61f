using System.Globalization;

namespace CclAgent.Nccl.NcclTests;

/// <summary>Sizes as nccl-tests' parsesize reads them: a number with an optional K, M or G suffix (powers of 1024).</summary>
public static class NcclTestsSize
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string trimmed = text.Trim();
        long unit = char.ToUpperInvariant(trimmed[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1,
        };
        ReadOnlySpan<char> number = unit == 1 ? trimmed : trimmed.AsSpan(0, trimmed.Length - 1);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0 || value * unit > long.MaxValue / 2.0)
        {
            return false;
        }

        bytes = (long)(value * unit);
        return true;
    }
}
