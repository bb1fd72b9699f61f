using System.Buffers;
using System.IO.Compression;
using System.Text.Json;

namespace CclAgent.Trace.Kineto;

/// <summary>
/// Streams a Kineto / Chrome trace (<c>.json</c> or <c>.json.gz</c>) with <see cref="Utf8JsonReader"/> over a refilled
/// buffer: one event object is in memory at a time, never the whole document (HTA's 200 GB case needs this).
/// A file that breaks off mid-way keeps what was read before the break and says where it broke.
/// </summary>
internal static class KinetoReader
{
    private const int InitialBuffer = 1 << 20;

    public static RankTrace Read(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        var sink = new Sink();
        string? truncated = null;
        try
        {
            Scan(stream, sink);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or EndOfStreamException)
        {
            if (sink.Events == 0)
            {
                throw new TraceInputException($"{path}: not a valid Kineto/Chrome trace ({Short(ex)}); expected a JSON object with traceEvents");
            }

            truncated = $"after {sink.Events} events: {Short(ex)}";
        }

        if (!sink.SawTraceEvents && truncated is null)
        {
            throw new TraceInputException($"{path}: $.traceEvents: missing; expected a Kineto/Chrome trace");
        }

        return new RankTrace(path, sink.Rank ?? 0, sink.WorldSize ?? 1, sink.Gpu, sink.Events, truncated)
        {
            Steps = sink.Steps.Count,
            Cpu = sink.Cpu,
            Syncs = sink.Syncs,
        };
    }

    private static string Short(Exception ex) => ex.Message.Split('\n')[0].Trim();

    private static void Scan(Stream stream, Sink sink)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            int length = 0;
            var state = default(JsonReaderState);
            var position = new Position();
            while (true)
            {
                int n = stream.ReadAtLeast(buffer.AsSpan(length), buffer.Length - length, throwOnEndOfStream: false);
                length += n;
                bool final = length < buffer.Length;
                ReadOnlySpan<byte> data = buffer.AsSpan(0, length);
                var reader = new Utf8JsonReader(data, final, state);
                int consumed = Consume(ref reader, data, sink, position);
                state = reader.CurrentState;
                if (final)
                {
                    if (position.Depth != 0 || !position.Started)
                    {
                        throw new JsonException("the document ends before its closing brace");
                    }

                    return;
                }

                // Keep the unread tail; grow when one event does not fit the buffer.
                Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
                length -= consumed;
                if (length == buffer.Length)
                {
                    byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, length);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Where the scan is in the document between buffer refills.</summary>
    private sealed class Position
    {
        public int Depth { get; set; }

        public string? TopKey { get; set; }

        public bool Started { get; set; }
    }

    /// <summary>Reads tokens until the buffer runs out; returns how many bytes are done with.</summary>
    private static int Consume(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, Sink sink, Position p)
    {
        while (true)
        {
            Utf8JsonReader before = reader;
            if (!reader.Read())
            {
                return (int)before.BytesConsumed;
            }

            bool inEvents = p.Depth == 2 && p.TopKey == "traceEvents";
            bool inDistributed = p.Depth == 1 && p.TopKey == "distributedInfo";
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray when inEvents || inDistributed || p.Depth >= 2 || (p.Depth == 1 && p.TopKey != "traceEvents"):
                    int start = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        reader = before;
                        return (int)before.BytesConsumed;
                    }

                    if (reader.TokenType == JsonTokenType.EndObject && (inEvents || inDistributed))
                    {
                        var slice = new Utf8JsonReader(data[start..(int)reader.BytesConsumed], isFinalBlock: true, default);
                        if (inEvents)
                        {
                            sink.Event(ref slice);
                        }
                        else
                        {
                            sink.Distributed(ref slice);
                        }
                    }

                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (p.Depth == 0 && reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new JsonException("the top level is not an object");
                    }

                    if (p.Depth == 1)
                    {
                        sink.SawTraceEvents = true;
                    }

                    p.Started = true;
                    p.Depth++;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    p.Depth--;
                    if (p.Depth == 1)
                    {
                        p.TopKey = null;
                    }

                    break;
                case JsonTokenType.PropertyName when p.Depth == 1:
                    p.TopKey = reader.GetString();
                    break;
                default:
                    if (p.Depth == 0)
                    {
                        throw new JsonException("the top level is not an object");
                    }

                    break;
            }
        }
    }

    /// <summary>Collects what the analyses need from each event.</summary>
    private sealed class Sink
    {
        public List<GpuEvent> Gpu { get; } = [];

        public long Events { get; private set; }

        public int? Rank { get; private set; }

        public int? WorldSize { get; private set; }

        public bool SawTraceEvents { get; set; }

        /// <summary>Distinct ProfilerStep#N names: a step can appear on several threads.</summary>
        public HashSet<string> Steps { get; } = new(StringComparer.Ordinal);

        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

        public List<CpuEvent> Cpu { get; } = [];

        public List<SyncRecord> Syncs { get; } = [];

        public void Event(ref Utf8JsonReader r)
        {
            Events++;
            KinetoEventParser.Parsed e = KinetoEventParser.Parse(ref r, _names);
            if (e.Gpu is not null)
            {
                Gpu.Add(e.Gpu);
            }
            else if (e.Cpu is not null)
            {
                Cpu.Add(e.Cpu);
            }
            else if (e.Step is not null)
            {
                Steps.Add(e.Step);
            }
            else if (e.Sync is not null)
            {
                Syncs.Add(e.Sync);
            }
        }

        public void Distributed(ref Utf8JsonReader r)
        {
            (Rank, WorldSize) = KinetoEventParser.ParseDistributed(ref r);
        }
    }
}
