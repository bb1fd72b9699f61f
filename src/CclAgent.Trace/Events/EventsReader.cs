using System.Text;
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
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        int line = 0;
        while (reader.ReadLine() is string text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                events.Add(Parse(text, line, path));
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

    private static RunEvent Parse(string text, int line, string path)
    {
        var r = new Utf8JsonReader(Encoding.UTF8.GetBytes(text));
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
                case "phase": phase = Text(ref r); break;
                case "type": type = Text(ref r); break;
                case "actor": actor = Text(ref r); break;
                case "status": status = Text(ref r); break;
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
