using System.Globalization;
using System.Text.Json;

namespace CclAgent.Trace.Kineto;

/// <summary>Reads the fields the analyses use from one trace event object; everything else is skipped.</summary>
internal static class KinetoEventParser
{
    /// <summary>What one trace event is to the analyses: a GPU activity, a CPU span, a sync record, a step marker, or nothing.</summary>
    internal readonly record struct Parsed(GpuEvent? Gpu, CpuEvent? Cpu, string? Step, SyncRecord? Sync);

    /// <summary>
    /// Reads one complete (<c>ph: X</c>) event: kernels, gpu_memcpy and gpu_memset are GPU activities; cpu_op,
    /// cuda_runtime and cuda_driver CPU spans; cuda_sync the stream a sync waited on; a <c>ProfilerStep#N</c> user
    /// annotation a step (how <c>trace workload</c> counts iterations). <paramref name="names"/> interns event names.
    /// </summary>
    public static Parsed Parse(ref Utf8JsonReader r, Dictionary<string, string> names)
    {
        string? ph = null, cat = null, name = null;
        double ts = double.NaN, dur = 0;
        long pid = -1, tid = -1;
        var args = new EventArgs();
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
                case "pid": pid = Id(ref r); break;
                case "tid": tid = Id(ref r); break;
                case "args" when r.TokenType == JsonTokenType.StartObject: args = Args(ref r); break;
                default: r.Skip(); break;
            }
        }

        if (ph != "X" || name is null || double.IsNaN(ts))
        {
            return default;
        }

        // A trace repeats a few hundred names a million times: keep one copy of each.
        if (!names.TryGetValue(name, out string? shared))
        {
            names[name] = shared = name;
        }

        name = shared;

        switch (cat)
        {
            case "user_annotation" when name.StartsWith("ProfilerStep#", StringComparison.Ordinal):
                return new Parsed(null, null, name, null);
            case "cpu_op" or "cuda_runtime" or "cuda_driver":
                return new Parsed(null, new CpuEvent(name, cat != "cpu_op", ts, dur, pid, tid, args.Correlation), null, null);
            case "cuda_sync" when args.Correlation >= 0:
                return new Parsed(null, null, null, new SyncRecord(args.Correlation, args.Stream, ts, args.WaitOnStream, args.WaitOnRecord));
        }

        GpuKind? kind = cat switch
        {
            "kernel" => name.StartsWith("nccl", StringComparison.OrdinalIgnoreCase) ? GpuKind.Communication : GpuKind.Compute,
            "gpu_memcpy" or "gpu_memset" => GpuKind.Memcpy,
            _ => null,
        };
        return kind is GpuKind k
            ? new Parsed(new GpuEvent(k, name, ts, dur, args.Stream, k == GpuKind.Communication ? args.Nccl : null, args.Correlation), null, null, null)
            : default;
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

    private readonly record struct EventArgs(long Stream, long Correlation, NcclArgs? Nccl, long WaitOnStream, long WaitOnRecord)
    {
        public EventArgs() : this(-1, -1, null, -1, -1)
        {
        }
    }

    private static EventArgs Args(ref Utf8JsonReader r)
    {
        long stream = -1, correlation = -1, inElems = 0, outElems = 0, waitOnStream = -1, waitOnRecord = -1;
        int group = 0;
        string? coll = null, dtype = null, ranks = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            string key = r.GetString()!;
            r.Read();
            switch (key)
            {
                case "stream": stream = (long)Number(ref r); break;
                case "correlation": correlation = (long)Number(ref r); break;
                case "wait_on_stream": waitOnStream = (long)Number(ref r); break;
                case "wait_on_cuda_event_record_corr_id": waitOnRecord = (long)Number(ref r); break;
                case "Collective name": coll = Text(ref r); break;
                case "In msg nelems": inElems = (long)Number(ref r); break;
                case "Out msg nelems": outElems = (long)Number(ref r); break;
                case "Group size": group = (int)Number(ref r); break;
                case "dtype": dtype = Text(ref r); break;
                case "Process Group Ranks": ranks = Text(ref r); break;
                default: r.Skip(); break;
            }
        }

        return new EventArgs(stream, correlation, coll is null && group == 0 ? null : new NcclArgs(coll, inElems, outElems, group, dtype, ranks), waitOnStream, waitOnRecord);
    }

    /// <summary>A pid or tid: a number, or (as some exporters write) a string, reduced to a stable number.</summary>
    private static long Id(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number)
        {
            return r.TryGetInt64(out long v) ? v : (long)r.GetDouble();
        }

        return Text(ref r) is string s ? StableHash(s) : -1;
    }

    private static long StableHash(string s)
    {
        long h = 1125899906842597L;
        foreach (char c in s)
        {
            h = (31 * h) + c;
        }

        return h;
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
