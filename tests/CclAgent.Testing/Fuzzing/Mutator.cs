using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CclAgent.Testing.Fuzzing;

/// <summary>
/// A seeded mutator for hostile-input tests: byte flips, truncation, duplicated slices, hostile snippets (NaN, ±1e308,
/// NUL, long digit runs, unbalanced quotes and braces, 5,000-deep nesting, invalid UTF-8, CR/CRLF mixes, a 100 KB line),
/// swapped numbers and shuffled lines, plus random JSON values. The same seed gives the same mutants, run after run.
/// </summary>
public sealed class Mutator
{
    private const int MaxOutputBytes = 512 * 1024;

    private static readonly string[] HostileNumbers =
    [
        "NaN", "nan", "-nan", "inf", "-inf", "Infinity", "-Infinity", "1e308", "-1e308", "1e309", "-1e309", "4.9e-324", "1e-400",
        "-1", "-0", "0", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", "1.7976931348623157e308",
        new string('9', 400), "0." + new string('0', 400) + "1", "1e", "1e+", "--1", "0x1F", "1_000",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE, 0xFF], [0xC3, 0x28], [0xA0, 0xA1], [0xE2, 0x28, 0xA1], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xF0, 0x9F, 0x98],
    ];

    private readonly Random _random;
    private readonly IReadOnlyList<string> _keys;

    /// <param name="seed">The seed: the same seed gives the same sequence of mutants.</param>
    /// <param name="jsonKeys">Property names the JSON generator prefers (a target's real field names reach deeper than random ones).</param>
    public Mutator(int seed, IReadOnlyList<string>? jsonKeys = null)
    {
        _random = new Random(seed);
        _keys = jsonKeys is { Count: > 0 } ? jsonKeys : ["a", "name", "value", "x"];
    }

    /// <summary>The text snippets inserted as hostile input (the invalid UTF-8 ones exist only at the byte level).</summary>
    public static IReadOnlyList<string> HostileSnippets { get; } =
    [
        .. HostileNumbers,
        "\u0000", "\u0000\u0000\u0000", "\"", "'", "\"\"\"", "{", "}", "[", "]", "{{{", "}}}", "\\", "\\u", "\\uD800", "\uFFFD", "\uFEFF",
        "\r", "\r\n", "\n\r", "\r\r\n", "\t", "\u001b[31m", "\u2028", "%s%n", "{0}", "$.", "null", "true", "[]", "{}", ":", ",", "=", "::",
        new string('[', 5000), new string('{', 5000), string.Concat(Enumerable.Repeat("{\"a\":", 5000)), string.Concat(Enumerable.Repeat("(", 5000)),
        new string('1', 5000), new string('a', 100_000), new string(' ', 10_000),
    ];

    /// <summary><paramref name="count"/> mutants of <paramref name="seed"/>, each one to three mutations deep.</summary>
    public IEnumerable<byte[]> Mutants(byte[] seed, int count)
    {
        ArgumentNullException.ThrowIfNull(seed);
        for (int i = 0; i < count; i++)
        {
            yield return Mutate(seed);
        }
    }

    /// <summary><paramref name="count"/> mutants of <paramref name="seed"/> as text (invalid UTF-8 decodes to U+FFFD).</summary>
    public IEnumerable<string> Mutants(string seed, int count)
    {
        ArgumentNullException.ThrowIfNull(seed);
        byte[] bytes = Encoding.UTF8.GetBytes(seed);
        for (int i = 0; i < count; i++)
        {
            yield return Encoding.UTF8.GetString(Mutate(bytes));
        }
    }

    /// <summary>Applies one to three random mutations to a copy of <paramref name="input"/>.</summary>
    public byte[] Mutate(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = new List<byte>(input);
        int rounds = 1 + _random.Next(3);
        for (int r = 0; r < rounds; r++)
        {
            MutateOnce(data);
            if (data.Count > MaxOutputBytes)
            {
                data.RemoveRange(MaxOutputBytes, data.Count - MaxOutputBytes);
            }
        }

        return [.. data];
    }

    /// <summary>Text mutation: <see cref="Mutate(byte[])"/> over the UTF-8 bytes, decoded back (invalid bytes become U+FFFD).</summary>
    public string Mutate(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(input)));
    }

    /// <summary>
    /// Structure-aware JSON mutation: replaces, removes or adds one value of the parsed document with a random JSON value,
    /// so the mutant still parses and reaches the checks behind the parser. Falls back to a text mutation when
    /// <paramref name="json"/> does not parse.
    /// </summary>
    public string MutateJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return Mutate(json);
        }

        if (root is null)
        {
            return RandomJson(3);
        }

        var containers = new List<JsonNode>();
        Collect(root, containers);
        JsonNode target = containers[_random.Next(containers.Count)];
        switch (target)
        {
            case JsonObject obj when obj.Count > 0 && _random.Next(4) != 0:
            {
                string key = obj.ElementAt(_random.Next(obj.Count)).Key;
                if (_random.Next(5) == 0)
                {
                    obj.Remove(key);
                }
                else
                {
                    obj[key] = JsonNode.Parse(RandomJson(2));
                }

                break;
            }

            case JsonObject obj:
                obj[Key()] = JsonNode.Parse(RandomJson(2));
                break;
            case JsonArray array when array.Count > 0 && _random.Next(3) != 0:
                array[_random.Next(array.Count)] = JsonNode.Parse(RandomJson(2));
                break;
            case JsonArray array:
                array.Add(JsonNode.Parse(RandomJson(2)));
                break;
        }

        return root.ToJsonString();
    }

    /// <summary>A random JSON value at most <paramref name="maxDepth"/> containers deep (numbers include huge, tiny and negative ones).</summary>
    public string RandomJson(int maxDepth)
    {
        var builder = new StringBuilder();
        WriteValue(builder, maxDepth);
        return builder.ToString();
    }

    private void WriteValue(StringBuilder builder, int depth)
    {
        int kind = _random.Next(depth > 0 ? 9 : 7);
        switch (kind)
        {
            case 0:
                builder.Append("null");
                break;
            case 1:
                builder.Append(_random.Next(2) == 0 ? "true" : "false");
                break;
            case 2:
                builder.Append(RandomInteger());
                break;
            case 3:
                builder.Append(RandomDouble());
                break;
            case 4:
            case 5:
                builder.Append(JsonSerializer.Serialize(RandomString()));
                break;
            case 6:
                builder.Append(JsonSerializer.Serialize(Key()));
                break;
            case 7:
            {
                builder.Append('[');
                int n = _random.Next(4);
                for (int i = 0; i < n; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    WriteValue(builder, depth - 1);
                }

                builder.Append(']');
                break;
            }

            default:
            {
                builder.Append('{');
                int n = _random.Next(4);
                var used = new HashSet<string>(StringComparer.Ordinal);
                for (int i = 0; i < n; i++)
                {
                    string key = Key();
                    if (!used.Add(key))
                    {
                        continue; // a duplicate key is malformed for JsonNode; the text mutations cover it
                    }

                    if (used.Count > 1)
                    {
                        builder.Append(',');
                    }

                    builder.Append(JsonSerializer.Serialize(key)).Append(':');
                    WriteValue(builder, depth - 1);
                }

                builder.Append('}');
                break;
            }
        }
    }

    private string RandomInteger() => _random.Next(6) switch
    {
        0 => "0",
        1 => "-1",
        2 => _random.Next(1, 100).ToString(CultureInfo.InvariantCulture),
        3 => _random.NextInt64().ToString(CultureInfo.InvariantCulture),
        4 => (-_random.NextInt64()).ToString(CultureInfo.InvariantCulture),
        _ => new string('9', 1 + _random.Next(40)),
    };

    private string RandomDouble() => _random.Next(5) switch
    {
        0 => "1e308",
        1 => "-1e308",
        2 => "1e-320",
        3 => (_random.NextDouble() * 1000).ToString("R", CultureInfo.InvariantCulture),
        _ => (-_random.NextDouble() * 1e6).ToString("E3", CultureInfo.InvariantCulture),
    };

    private string RandomString() => _random.Next(6) switch
    {
        0 => string.Empty,
        1 => " ",
        2 => "\u0000",
        3 => new string('x', 1 + _random.Next(5000)),
        4 => HostileSnippets[_random.Next(HostileSnippets.Count)],
        _ => "../" + Key(),
    };

    private string Key() => _random.Next(8) == 0 ? "unknown_" + _random.Next(100).ToString(CultureInfo.InvariantCulture) : _keys[_random.Next(_keys.Count)];

    private static void Collect(JsonNode node, List<JsonNode> containers)
    {
        switch (node)
        {
            case JsonObject obj:
                containers.Add(obj);
                foreach (KeyValuePair<string, JsonNode?> property in obj)
                {
                    if (property.Value is not null)
                    {
                        Collect(property.Value, containers);
                    }
                }

                break;
            case JsonArray array:
                containers.Add(array);
                foreach (JsonNode? item in array)
                {
                    if (item is not null)
                    {
                        Collect(item, containers);
                    }
                }

                break;
        }
    }

    private void MutateOnce(List<byte> data)
    {
        switch (_random.Next(10))
        {
            case 0:
                FlipBit(data);
                break;
            case 1:
                SetRandomByte(data);
                break;
            case 2:
                Truncate(data);
                break;
            case 3:
                DuplicateSlice(data);
                break;
            case 4:
            case 5:
                InsertSnippet(data);
                break;
            case 6:
                ReplaceNumber(data);
                break;
            case 7:
                ShuffleLines(data);
                break;
            case 8:
                MixLineEndings(data);
                break;
            default:
                DeleteSlice(data);
                break;
        }
    }

    private void FlipBit(List<byte> data)
    {
        if (data.Count > 0)
        {
            int i = _random.Next(data.Count);
            data[i] ^= (byte)(1 << _random.Next(8));
        }
    }

    private void SetRandomByte(List<byte> data)
    {
        if (data.Count > 0)
        {
            data[_random.Next(data.Count)] = (byte)_random.Next(256);
        }
    }

    private void Truncate(List<byte> data)
    {
        if (data.Count > 0)
        {
            int at = _random.Next(data.Count);
            data.RemoveRange(at, data.Count - at);
        }
    }

    private void DeleteSlice(List<byte> data)
    {
        if (data.Count > 1)
        {
            int start = _random.Next(data.Count);
            int length = 1 + _random.Next(Math.Min(64, data.Count - start));
            data.RemoveRange(start, length);
        }
    }

    private void DuplicateSlice(List<byte> data)
    {
        if (data.Count == 0)
        {
            return;
        }

        int start = _random.Next(data.Count);
        int length = 1 + _random.Next(Math.Min(4096, data.Count - start));
        byte[] slice = data.GetRange(start, length).ToArray();
        int copies = _random.Next(4) == 0 ? 1 + _random.Next(50) : 1;
        int at = _random.Next(data.Count + 1);
        for (int c = 0; c < copies; c++)
        {
            data.InsertRange(at, slice);
        }
    }

    private void InsertSnippet(List<byte> data)
    {
        byte[] snippet = _random.Next(5) == 0
            ? InvalidUtf8[_random.Next(InvalidUtf8.Length)]
            : Encoding.UTF8.GetBytes(HostileSnippets[_random.Next(HostileSnippets.Count)]);
        data.InsertRange(_random.Next(data.Count + 1), snippet);
    }

    /// <summary>Replaces one run of digits (with its sign, point and exponent) by a hostile number: real fields get absurd values.</summary>
    private void ReplaceNumber(List<byte> data)
    {
        var starts = new List<int>();
        for (int i = 0; i < data.Count; i++)
        {
            if (IsDigit(data[i]) && (i == 0 || !IsNumberByte(data[i - 1])))
            {
                starts.Add(i);
            }
        }

        if (starts.Count == 0)
        {
            InsertSnippet(data);
            return;
        }

        int start = starts[_random.Next(starts.Count)];
        if (start > 0 && data[start - 1] == (byte)'-')
        {
            start--;
        }

        int end = start + 1;
        while (end < data.Count && IsNumberByte(data[end]))
        {
            end++;
        }

        data.RemoveRange(start, end - start);
        data.InsertRange(start, Encoding.UTF8.GetBytes(HostileNumbers[_random.Next(HostileNumbers.Length)]));
    }

    private void ShuffleLines(List<byte> data)
    {
        List<List<byte>> lines = Split(data);
        for (int i = lines.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (lines[i], lines[j]) = (lines[j], lines[i]);
        }

        Join(data, lines, static _ => [(byte)'\n']);
    }

    private void MixLineEndings(List<byte> data)
    {
        List<List<byte>> lines = Split(data);
        byte[][] endings = [[(byte)'\n'], [(byte)'\r', (byte)'\n'], [(byte)'\r'], [(byte)'\r', (byte)'\r', (byte)'\n']];
        Join(data, lines, _ => endings[_random.Next(endings.Length)]);
    }

    private static List<List<byte>> Split(List<byte> data)
    {
        var lines = new List<List<byte>> { new() };
        foreach (byte b in data)
        {
            if (b == (byte)'\n')
            {
                lines.Add([]);
            }
            else
            {
                lines[^1].Add(b);
            }
        }

        return lines;
    }

    private static void Join(List<byte> data, List<List<byte>> lines, Func<int, byte[]> ending)
    {
        data.Clear();
        for (int i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                data.AddRange(ending(i));
            }

            data.AddRange(lines[i]);
        }
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsNumberByte(byte b) => IsDigit(b) || b is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+';
}
