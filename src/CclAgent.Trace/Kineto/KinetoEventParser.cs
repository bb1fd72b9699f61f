using System.Globalization;
using System.Text.Json;

namespace CclAgent.Trace.Kineto;

/// <summary>Reads the fields the analyses use from one trace event object; everything else is skipped.</summary>
internal static class KinetoEventParser
{
    /// <summary>
    /// A GPU activity (complete event of category kernel, gpu_memcpy or gpu_memset), else null;
    /// <paramref name="step"/> is the name of a <c>ProfilerStep#N</c> user annotation (how <c>trace workload</c> counts iterations).
    /// </summary>
    public static GpuEvent? Parse(ref Utf8JsonReader r, out string? step)
    {
        step = null;
        string? ph = null, cat = null, name = null;
        double ts = double.NaN, dur = 0;
        long stream = -1;
        NcclArgs? nccl = null;
        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            string key = r.GetString()!;
            r.Read();
            switch (key)
            {
                case "ph": ph = Text(ref r); break;
                case "cat": cat = Text(ref r); break;
                case "name": name = Text(ref r); break;
                case "ts": ts = Number(ref r); break;
                case "dur": dur = Number(ref r); break;
                case "args" when r.TokenType == JsonTokenType.StartObject: (stream, nccl) = Args(ref r); break;
                default: r.Skip(); break;
            }
        }

        if (ph != "X" || name is null || double.IsNaN(ts))
        {
            return null;
        }

        if (cat == "user_annotation" && name.StartsWith("ProfilerStep#", StringComparison.Ordinal))
        {
            step = name;
            return null;
        }

        GpuKind? kind = cat switch
        {
            "kernel" => name.StartsWith("nccl", StringComparison.OrdinalIgnoreCase) ? GpuKind.Communication : GpuKind.Compute,
            "gpu_memcpy" or "gpu_memset" => GpuKind.Memcpy,
            _ => null,
        };
        return kind is GpuKind k ? new GpuEvent(k, name, ts, dur, stream, k == GpuKind.Communication ? nccl : null) : null;
    }

    public static (int? Rank, int? WorldSize) ParseDistributed(ref Utf8JsonReader r)
    {
        int? rank = null, world = null;
        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            string key = r.GetString()!;
            r.Read();
            switch (key)
            {
                case "rank": rank = (int)Number(ref r); break;
                case "world_size": world = (int)Number(ref r); break;
                default: r.Skip(); break;
            }
        }

        return (rank, world);
    }

    private static (long Stream, NcclArgs? Nccl) Args(ref Utf8JsonReader r)
    {
        long stream = -1, inElems = 0, outElems = 0;
        int group = 0;
        string? coll = null, dtype = null, ranks = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            string key = r.GetString()!;
            r.Read();
            switch (key)
            {
                case "stream": stream = (long)Number(ref r); break;
                case "Collective name": coll = Text(ref r); break;
                case "In msg nelems": inElems = (long)Number(ref r); break;
                case "Out msg nelems": outElems = (long)Number(ref r); break;
                case "Group size": group = (int)Number(ref r); break;
                case "dtype": dtype = Text(ref r); break;
                case "Process Group Ranks": ranks = Text(ref r); break;
                default: r.Skip(); break;
            }
        }

        return (stream, coll is null && group == 0 ? null : new NcclArgs(coll, inElems, outElems, group, dtype, ranks));
    }

    private static string? Text(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            return r.GetString();
        }

        r.Skip();
        return null;
    }

    /// <summary>Numbers, or numbers written as strings (some exporters quote ts).</summary>
    private static double Number(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.Number => r.GetDouble(),
        JsonTokenType.String when double.TryParse(r.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) => v,
        _ => Skip(ref r),
    };

    private static double Skip(ref Utf8JsonReader r)
    {
        r.Skip();
        return double.NaN;
    }
}
