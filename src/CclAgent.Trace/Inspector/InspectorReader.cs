using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CclAgent.Trace.Report;

namespace CclAgent.Trace.Inspector;

/// <summary>
/// Reads an NCCL Inspector JSON-lines log (<c>.log</c>, <c>.jsonl</c>, optionally gzipped), one line in memory at a time.
/// Two layouts exist (NVIDIA/nccl plugins/profiler/inspector/README.md and inspector_json_reader.py): up to v4.2 every
/// record carries its own <c>header</c> and <c>metadata</c>; from v4.3 a <c>dump_stats</c> marker carries them once and
/// announces how many <c>coll_perf</c>/<c>p2p_perf</c>/<c>proxy_trace</c> records follow. Lines that are not records are
/// counted and skipped, a dump that ends before its announced count is reported, and records the Inspector overwrote
/// before dumping (<c>*_dropped_total</c>) are reported: the analysis covers what is left and says so.
/// </summary>
internal static class InspectorReader
{
    public static InspectorLog Read(string path)
    {
        var state = new ReadState(path);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        try
        {
            while (reader.ReadLine() is string text)
            {
                state.Line++;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    ReadLine(text, state);
                }
            }
        }
        catch (InvalidDataException ex)
        {
            state.Issues.Add(new("temporal.truncated", [path], $"{path}: the gzip stream breaks off after line {state.Line} ({ex.Message}); analysed up to there"));
        }

        state.EndDump();
        if (state.Records.Count == 0 && state.Markers == 0)
        {
            throw new TraceInputException(state.FirstBad is { } bad
                ? $"{path}:{bad.Line}: not an NCCL Inspector record ({bad.Why}); expected JSON lines with coll_perf or dump_stats"
                : $"{path}: holds no NCCL Inspector record; expected JSON lines with coll_perf or dump_stats");
        }

        state.ReportBadLines();
        state.ReportDrops();
        return new InspectorLog(path, state.Records, state.Issues);
    }

    private static void ReadLine(string text, ReadState state)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                state.Bad("the line is not a JSON object");
                return;
            }

            ReadObject(doc.RootElement, state);
        }
        catch (JsonException ex)
        {
            state.Bad(ex.Message.Split('\n')[0].Trim());
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            state.Bad($"a field has the wrong type: {ex.Message}");
        }
    }

    private static void ReadObject(JsonElement root, ReadState state)
    {
        if (root.TryGetProperty("dump_stats", out JsonElement stats))
        {
            state.BeginDump(root, stats);
            return;
        }

        bool coll = root.TryGetProperty("coll_perf", out JsonElement perf);
        bool p2p = !coll && root.TryGetProperty("p2p_perf", out perf);
        if (!coll && !p2p)
        {
            // proxy_trace records (network progress, CPU timestamps) are counted against the dump but not analysed.
            if (!root.TryGetProperty("proxy_trace", out _) && !root.TryGetProperty("record_type", out _))
            {
                state.Bad("neither coll_perf, p2p_perf, proxy_trace nor dump_stats");
            }
            else
            {
                state.Consume("proxy_trace");
            }

            return;
        }

        Context? context = root.TryGetProperty("header", out JsonElement header)
            ? Context.From(header, root.TryGetProperty("metadata", out JsonElement m) ? m : default, state.Path)
            : state.Consume(coll ? "coll_perf" : "p2p_perf");
        if (context is null)
        {
            state.Orphans++;
            return;
        }

        if (Record(perf, coll, context) is InspectorRecord record)
        {
            state.Records.Add(record);
        }
        else
        {
            state.Bad(coll ? "coll_perf lacks coll, coll_sn, coll_msg_size_bytes or coll_exec_time_us" : "p2p_perf lacks p2p, p2p_sn, p2p_msg_size_bytes or p2p_exec_time_us");
        }
    }

    private static InspectorRecord? Record(JsonElement perf, bool coll, Context c)
    {
        string prefix = coll ? "coll" : "p2p";
        if (perf.ValueKind != JsonValueKind.Object
            || Str(perf, prefix) is not string op
            || Num(perf, prefix + "_sn") is not double sn
            || Num(perf, prefix + "_msg_size_bytes") is not double bytes
            || Num(perf, prefix + "_exec_time_us") is not double exec
            || exec < 0 || bytes < 0)
        {
            return null;
        }

        return new InspectorRecord(c.Process, c.CommId, c.Rank, c.NRanks, !coll, op, (long)sn, (long)bytes, exec,
            Str(perf, "coll_algo") ?? "", Str(perf, "coll_proto") ?? "", Str(perf, prefix + "_timing_source") ?? "");
    }

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    internal static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>The communicator a record belongs to, from its own header (≤ v4.2) or its dump's marker (v4.3).</summary>
    internal sealed record Context(string Process, string CommId, int Rank, int NRanks)
    {
        public static Context? From(JsonElement header, JsonElement metadata, string path)
        {
            if (header.ValueKind != JsonValueKind.Object || Num(header, "rank") is not double rank || Num(header, "n_ranks") is not double n || n < 1)
            {
                return null;
            }

            string process = metadata.ValueKind == JsonValueKind.Object && Str(metadata, "hostname") is string host
                ? $"{host}/{Str(metadata, "pid") ?? "?"}"
                : path;
            return new Context(process, Str(header, "id") ?? "", (int)rank, (int)n);
        }
    }

    /// <summary>Everything one file's read accumulates: records, the open dump's remaining counts, drop and bad-line tallies.</summary>
    private sealed class ReadState(string path)
    {
        public string Path { get; } = path;

        public int Line { get; set; }

        public int Markers { get; private set; }

        public int Orphans { get; set; }

        public List<InspectorRecord> Records { get; } = [];

        public List<IntegrityIssue> Issues { get; } = [];

        public (int Line, string Why)? FirstBad { get; private set; }

        private readonly Dictionary<string, long> _remaining = [];
        private readonly Dictionary<(string Comm, string Kind), long> _droppedTotal = [];
        private Context? _dump;
        private int _dumpLine;
        private int _badLines;

        public void Bad(string why)
        {
            _badLines++;
            FirstBad ??= (Line, why);
        }

        public void BeginDump(JsonElement root, JsonElement stats)
        {
            EndDump();
            Markers++;
            _dumpLine = Line;
            JsonElement metadata = root.TryGetProperty("metadata", out JsonElement m) ? m : default;
            Context? context = root.TryGetProperty("header", out JsonElement h) ? Context.From(h, metadata, Path) : null;

            // Only from v4.3 does the marker own the records after it; an older marker is statistics alone.
            _dump = CarriesContext(metadata) ? context : null;
            foreach (string kind in (string[])["coll", "p2p", "proxy"])
            {
                _remaining[kind + (kind == "proxy" ? "_trace" : "_perf")] = _dump is null ? 0 : (long)(Num(stats, kind + "_records") ?? 0);
                if (Num(stats, kind + "_dropped_total") is double dropped && context is not null)
                {
                    var key = (context.CommId + "@" + context.Process, kind);
                    _droppedTotal[key] = Math.Max(_droppedTotal.GetValueOrDefault(key), (long)dropped);
                }
            }
        }

        private static bool CarriesContext(JsonElement metadata)
        {
            string version = metadata.ValueKind == JsonValueKind.Object ? Str(metadata, "inspector_output_format_version") ?? "" : "";
            return !Version.TryParse(version.TrimStart('v'), out Version? v) || v >= new Version(4, 3);
        }

        /// <summary>Counts one payload against the open dump; null when there is no dump or it announced fewer.</summary>
        public Context? Consume(string kind)
        {
            if (_dump is null || _remaining.GetValueOrDefault(kind) <= 0)
            {
                return null;
            }

            _remaining[kind]--;
            return _dump;
        }

        public void EndDump()
        {
            long missing = _remaining.Values.Sum();
            if (_dump is not null && missing > 0)
            {
                Issues.Add(new("inspector.truncated_dump", [Path], string.Create(CultureInfo.InvariantCulture,
                    $"{Path}:{_dumpLine}: the dump_stats marker announced {missing} more record(s) than followed it; the dump was cut short")));
            }

            _remaining.Clear();
            _dump = null;
        }

        public void ReportBadLines()
        {
            if (FirstBad is { } bad)
            {
                Issues.Add(new("record.invalid", [Path], string.Create(CultureInfo.InvariantCulture,
                    $"{Path}: {_badLines} line(s) are not Inspector records (first at line {bad.Line}: {bad.Why}); analysed the rest")));
            }

            if (Orphans > 0)
            {
                Issues.Add(new("inspector.missing_context", [Path], string.Create(CultureInfo.InvariantCulture,
                    $"{Path}: {Orphans} record(s) have neither their own header nor a dump_stats marker announcing them; skipped")));
            }
        }

        public void ReportDrops()
        {
            foreach (var g in _droppedTotal.Where(d => d.Value > 0).GroupBy(d => d.Key.Kind))
            {
                Issues.Add(new("inspector.dropped_records", [Path], string.Create(CultureInfo.InvariantCulture,
                    $"{Path}: the Inspector overwrote {g.Sum(d => d.Value)} {g.Key} record(s) before dumping them (dump_stats {g.Key}_dropped_total); counts cover only what was kept (raise NCCL_INSPECTOR_DUMP_{g.Key.ToUpperInvariant()}_RING_SIZE)")));
            }
        }
    }
}
