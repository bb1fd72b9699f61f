using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using CclAgent.Core.Files;

namespace CclAgent.Core.Validation;

/// <summary>
/// Reads a JSON input file into a typed value and turns every System.Text.Json failure
/// (missing file, malformed JSON, unknown field, wrong type, a number out of range) into an <see cref="InputProblem"/>
/// that names the file, the JSON path and what was expected. A key given twice in one object is refused too:
/// the serializer would silently keep the last, so the run would use a value the reader of the file did not see.
/// </summary>
public static partial class JsonInputReader
{
    public static async Task<LoadResult<T>> ReadAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        // Before any open: a FIFO would block open(2) beyond cancellation, /dev/zero would fill memory.
        if (InputFile.Check(path, "a JSON file", InputFile.MaxJsonBytes) is string refused)
        {
            return LoadResult<T>.Failed(new InputProblem(path, "$", refused));
        }

        if (!File.Exists(path))
        {
            return LoadResult<T>.Failed(new InputProblem(path, "$", "file not found; expected the path of an existing JSON file"));
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (IOException ex)
        {
            return LoadResult<T>.Failed(new InputProblem(path, "$", $"cannot be read ({ex.Message})"));
        }
        catch (UnauthorizedAccessException)
        {
            return LoadResult<T>.Failed(new InputProblem(path, "$", "cannot be read (permission denied)"));
        }

        return Parse(path, text, typeInfo);
    }

    public static LoadResult<T> Parse<T>(string file, string text, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (DuplicateKey(text) is string duplicate)
        {
            return LoadResult<T>.Failed(new InputProblem(file, duplicate, "duplicate key; each field may appear only once in an object"));
        }

        try
        {
            T? value = JsonSerializer.Deserialize(text, typeInfo);
            return value is null
                ? LoadResult<T>.Failed(new InputProblem(file, "$", "expected a JSON object, found null"))
                : LoadResult<T>.Ok(value);
        }
        catch (JsonException ex)
        {
            return LoadResult<T>.Failed(Describe(file, text, ex, typeInfo));
        }
    }

    /// <summary>The JSON path of the first key repeated within one object, or null (also for malformed JSON, which the serializer reports).</summary>
    private static string? DuplicateKey(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            return DuplicateKey(document.RootElement, "$");
        }
    }

    private static string? DuplicateKey(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                if (DuplicateKey(item, $"{path}[{index++}]") is string found)
                {
                    return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in element.EnumerateObject())
            {
                string child = PlainName().IsMatch(property.Name) ? $"{path}.{property.Name}" : $"{path}['{property.Name.Replace("'", "''", StringComparison.Ordinal)}']";
                if (!seen.Add(property.Name))
                {
                    return child;
                }

                if (DuplicateKey(property.Value, child) is string found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// "out of range" for an integer that does not fit its field (2147483648 for an int): the serializer reports it as a
    /// conversion failure, which would read as a wrong type. Null when the value is not an integral number.
    /// </summary>
    private static string? OutOfRange(string text, string path, JsonTypeInfo typeInfo, string where)
    {
        Type? type = JsonPathTypes.ClrType(typeInfo, path);
        (string? min, string? max) = type == typeof(int) ? (int.MinValue.ToString(CultureInfo.InvariantCulture), int.MaxValue.ToString(CultureInfo.InvariantCulture))
            : type == typeof(long) ? (long.MinValue.ToString(CultureInfo.InvariantCulture), long.MaxValue.ToString(CultureInfo.InvariantCulture))
            : (null, null);
        if (min is null)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(text, DocumentOptions);
            JsonElement? value = JsonPathTypes.Find(document.RootElement, path);
            return value is { ValueKind: JsonValueKind.Number } number && IntegralNumber().IsMatch(number.GetRawText())
                ? $"out of range{where}; expected an integer in [{min}, {max}]"
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static InputProblem Describe(string file, string text, JsonException ex, JsonTypeInfo typeInfo)
    {
        string where = ex.LineNumber is long line ? $" (line {line + 1})" : string.Empty;
        string message = ex.Message;

        Match unknown = UnknownProperty().Match(message);
        if (unknown.Success)
        {
            string parent = ex.Path ?? "$";
            string name = unknown.Groups["name"].Value;
            string fieldPath = parent.EndsWith("." + name, StringComparison.Ordinal) ? parent : $"{parent}.{name}";
            return new InputProblem(file, fieldPath, $"unknown field '{name}'{where}; see docs/configuration.md for the fields allowed here");
        }

        Match convert = CannotConvert().Match(message);
        if (convert.Success)
        {
            // The source generator names the object that holds the bad value, not the value's own type
            // ("could not be converted to ClusterSpec" for "nodes": "four"), so the expectation comes
            // from the type at the JSON path, falling back to the message's type when the path is unknown.
            string path = ex.Path ?? "$";
            if (OutOfRange(text, path, typeInfo, where) is string range)
            {
                return new InputProblem(file, path, range);
            }

            string expected = JsonPathTypes.Describe(typeInfo, path) ?? Expected(convert.Groups["type"].Value);
            return new InputProblem(file, path, $"wrong type{where}; expected {expected}");
        }

        // Malformed JSON: the reader's message is already precise ("'x' is an invalid start of a value").
        string reason = message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
        return new InputProblem(file, ex.Path ?? "$", $"malformed JSON{where}: {reason}");
    }

    private static string Expected(string clrType) => clrType switch
    {
        _ when clrType.Contains("Int32", StringComparison.Ordinal) || clrType.Contains("Int64", StringComparison.Ordinal) => "an integer",
        _ when clrType.Contains("Double", StringComparison.Ordinal) => "a number",
        _ when clrType.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when clrType.Contains("String", StringComparison.Ordinal) && !clrType.Contains('[') => "a string",
        _ when clrType.Contains("Dictionary", StringComparison.Ordinal) => "an object of name/value pairs",
        _ when clrType.Contains("List", StringComparison.Ordinal) || clrType.Contains("[]", StringComparison.Ordinal) => "an array",
        _ => "an object",
    };

    // The input files allow what the serializer allows: comments and trailing commas.
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"^-?[0-9]+$")]
    private static partial Regex IntegralNumber();

    [GeneratedRegex("The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex("could not be converted to (?<type>[^.]+(\\.[^ .]+)*)")]
    private static partial Regex CannotConvert();
}
