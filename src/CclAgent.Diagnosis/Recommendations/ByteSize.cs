using System.Globalization;

namespace CclAgent.Diagnosis.Recommendations;

/// <summary>Parses the sizes PyTorch prints ("546.00 MiB", "15.77 GiB") into bytes.</summary>
internal static class ByteSize
{
    public static bool TryParse(string text, out double bytes)
    {
        bytes = 0;
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return false;
        }

        double unit = parts[1] switch
        {
            "B" => 1,
            "KiB" or "KB" => 1024,
            "MiB" or "MB" => 1024 * 1024,
            "GiB" or "GB" => 1024.0 * 1024 * 1024,
            "TiB" or "TB" => 1024.0 * 1024 * 1024 * 1024,
            _ => 0,
        };
        bytes = value * unit;
        return unit > 0;
    }
}
