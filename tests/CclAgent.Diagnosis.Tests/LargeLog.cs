using System.Globalization;
using System.Text;

namespace CclAgent.Diagnosis.Tests;

/// <summary>Writes a realistic large log: training lines with NCCL INFO noise, the fault 95 % of the way in, then cascades.</summary>
internal static class LargeLog
{
    public static long Write(string path, long bytes, string fault)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        long line = 0;
        bool faulted = false;
        var c = CultureInfo.InvariantCulture;
        while (written < bytes)
        {
            line++;
            string text = line % 10 == 0
                ? string.Create(c, $"node7:3312:3390 [{line % 8}] NCCL INFO Channel {line % 32:00}/0 : 3[3] -> 11[3] [send] via NET/IB/0/GDRDMA")
                : string.Create(c, $"[2024-05-01 10:{line / 60 % 60:00}:{line % 60:00}] step {line} | loss: {2.5 - (line % 1000 * 0.0001):0.0000} | grad_norm: {1.0 + (line % 7 * 0.03):0.00} | lr: 3.0e-04 | tokens/s: 51234");
            if (!faulted && written > bytes * 95 / 100)
            {
                text = fault;
                faulted = true;
            }

            writer.WriteLine(text);
            written += text.Length + 1;
        }

        return line;
    }
}
