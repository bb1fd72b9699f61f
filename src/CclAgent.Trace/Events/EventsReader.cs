using System.Text.Json;

namespace CclAgent.Trace.Events;

/// <summary>
/// Streams a run's <c>events.jsonl</c> line by line (one line's bytes in memory at a time). A line that is not JSON
/// ends the read there: what came before is analysed and the break is reported, as a crash mid-write leaves it.
/// </summary>
internal static class EventsReader
{
    public static (List<RunEvent> Events, string? TruncatedAt) Read(string path)
    {
        var events = new List<RunEvent>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        int line = 0;
        foreach (ReadOnlyMemory<byte> bytes in Lines(path))
        {
            line++;
            if (bytes.Span.Trim((byte)'\r').IsEmpty)
            {
                continue;
            }

            try
            {
                events.Add(Parse(bytes.Span, line, path, names));
            }
            catch (JsonException ex)
            {
                if (events.Count == 0)
                {
                    throw new TraceInputException($"{path}:{line}: not a JSON event line ({ex.Message.Split('\n')[0].Trim()}); expected ccl-agent events.jsonl");
                }

                return (events, $"at line {line}: {ex.Message.Split('\n')[0].Trim()}");
            }
        }

        return (events, null);
    }

    /// <summary>The file's lines as UTF-8 bytes, split on '\n' in a refilled buffer (no decoding to UTF-16 and back).</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Lines(string path)
    {
        using FileStream file = File.OpenRead(path);
        byte[] buffer = new byte[1 << 16];
        int length = 0;
        while (true)
        {
            int n = file.Read(buffer, length, buffer.Length - length);
            length += n;
            int start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, length - start)) >= 0)
            {
                yield return buffer.AsMemory(start, newline - start);
                start = newline + 1;
            }

            if (n == 0)
            {
                if (length > start)
                {
                    yield return buffer.AsMemory(start, length - start);
                }

                yield break;
            }

            Buffer.BlockCopy(buffer, start, buffer, 0, length - start);
            length -= start;
            if (length == buffer.Length)
            {
                // One line longer than the buffer: grow it.
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }

    private static RunEvent Parse(ReadOnlySpan<byte> text, int line, string path, Dictionary<string, string> names)
    {
        var r = new Utf8JsonReader(text);
        string? id = null, parent = null, phase = null, type = null, status = null;
        int? step = null;
        double? duration = null;
        DateTimeOffset? ts = null;
        string? actor = null;
        List<string>? refs = null;
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the line is not a JSON object");
        }

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            string key = r.GetString()!;
            r.Read();
            switch (key)
            {
                case "event_id": id = Text(ref r); break;
                case "parent_id": parent = Text(ref r); break;
                case "phase": phase = Shared(Text(ref r), names); break;
                case "type": type = Shared(Text(ref r), names); break;
                case "actor": actor = Shared(Text(ref r), names); break;
                case "status": status = Shared(Text(ref r), names); break;
                case "step": step = r.TokenType == JsonTokenType.Number ? r.GetInt32() : null; break;
                case "duration_ms": duration = r.TokenType == JsonTokenType.Number ? r.GetDouble() : null; break;
                case "ts": ts = r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out DateTimeOffset v) ? v : null; break;
                case "refs" when r.TokenType == JsonTokenType.StartArray: refs = ReadRefs(ref r); break;
                default: r.Skip(); break;
            }
        }

        if (r.TokenType != JsonTokenType.EndObject || r.Read())
        {
            throw new JsonException("the line holds more than one JSON object");
        }

        return id is null || type is null
            ? throw new TraceInputException($"{path}:{line}: $.{(id is null ? "event_id" : "type")}: missing; expected a ccl-agent trace event")
            : new RunEvent(id, parent, phase ?? "", step, type, status ?? "ok", duration, line) { Ts = ts, Refs = refs ?? [], Actor = actor ?? "" };
    }

    /// <summary>Types, statuses, phases and actors repeat on every line: keep one copy of each.</summary>
    private static string? Shared(string? value, Dictionary<string, string> names)
    {
        if (value is null)
        {
            return null;
        }

        if (!names.TryGetValue(value, out string? shared))
        {
            names[value] = shared = value;
        }

        return shared;
    }

    private static List<string> ReadRefs(ref Utf8JsonReader r)
    {
        var refs = new List<string>();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType == JsonTokenType.String)
            {
                refs.Add(r.GetString()!);
            }
            else
            {
                r.Skip();
            }
        }

        return refs;
    }

    private static string? Text(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.String ? r.GetString() : null;
}
