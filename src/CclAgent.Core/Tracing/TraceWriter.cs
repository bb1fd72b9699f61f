using System.Text;
using System.Text.Json;

using CclAgent.Core.Json;

namespace CclAgent.Core.Tracing;

/// <summary>
/// The append-only trace bus of a run: one JSON object per line, flushed per event so a crash or
/// Ctrl+C never leaves a half-written line behind. Thread-safe.
/// </summary>
public sealed class TraceWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly AsyncLocal<string?> _currentSpan = new();
    private long _sequence;

    public TraceWriter(string path, string runId, TimeProvider time)
        : this(path, runId, time, 0)
    {
    }

    private TraceWriter(string path, string runId, TimeProvider time, long sequence)
    {
        _sequence = sequence;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _time = time;
        RunId = runId;
        FilePath = path;
    }

    public string RunId { get; }

    /// <summary>
    /// While set, events get their ids (so spans and refs stay consistent) but are not written: a resumed run replays
    /// steps whose events the file holds already.
    /// </summary>
    public bool Muted { get; set; }

    /// <summary>Appends to an existing trace, numbering on after its last event so event ids stay unique.</summary>
    public static TraceWriter Continue(string path, string runId, TimeProvider time) => new(path, runId, time, LastSequence(path));

    public string FilePath { get; }

    /// <summary>The innermost open span on this async flow; new events name it as their parent.</summary>
    public string? CurrentSpanId => _currentSpan.Value;

    public TimeProvider Time => _time;

    public string Emit(TraceEntry entry)
    {
        lock (_gate)
        {
            string id = $"e{++_sequence:D6}";
            var traceEvent = new TraceEvent
            {
                Ts = _time.GetUtcNow(),
                RunId = RunId,
                EventId = id,
                ParentId = entry.ParentId ?? CurrentSpanId,
                Phase = entry.Phase,
                Step = entry.Step,
                Actor = entry.Actor,
                Type = entry.Type,
                Status = entry.Status,
                DurationMs = entry.DurationMs,
                Payload = entry.Payload,
                Refs = entry.Refs is { Count: > 0 } ? entry.Refs : null,
            };
            if (Muted)
            {
                return id;
            }

            byte[] line = JsonSerializer.SerializeToUtf8Bytes(traceEvent, CoreJsonContext.Default.TraceEvent);
            _stream.Write(line);
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: false);
            return id;
        }
    }

    /// <summary>Opens a span: emits "{kind}.start" now and "{kind}.end" with duration_ms when disposed.</summary>
    public TraceSpan BeginSpan(string kind, string phase, string actor, int? step = null, JsonElement? payload = null)
    {
        string parent = CurrentSpanId ?? string.Empty;
        string id = Emit(new TraceEntry(kind + ".start", phase, actor) { Step = step, Payload = payload, Status = "started" });
        _currentSpan.Value = id;
        return new TraceSpan(this, id, parent.Length == 0 ? null : parent, kind, phase, actor, step, _time.GetTimestamp());
    }

    internal void EndSpan(TraceSpan span, string status, JsonElement? payload)
    {
        double ms = _time.GetElapsedTime(span.StartTimestamp).TotalMilliseconds;
        Emit(new TraceEntry(span.Kind + ".end", span.Phase, span.Actor)
        {
            Step = span.Step,
            Status = status,
            DurationMs = Math.Round(ms, 3),
            ParentId = span.Id,
            Payload = payload,
        });
        _currentSpan.Value = span.ParentId;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Renders an event line exactly as it is written, for tests and tools.</summary>
    public static string Render(TraceEvent traceEvent) =>
        Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(traceEvent, CoreJsonContext.Default.TraceEvent));

    private static long LastSequence(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        long last = 0;
        foreach (string line in File.ReadLines(path))
        {
            // Ids are "e" and a decimal sequence; a torn or foreign line is skipped, never fatal.
            int at = line.IndexOf("\"event_id\":\"e", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            int start = at + 13, end = line.IndexOf('"', start);
            if (end > start && long.TryParse(line.AsSpan(start, end - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n))
            {
                last = Math.Max(last, n);
            }
        }

        return last;
    }
}
