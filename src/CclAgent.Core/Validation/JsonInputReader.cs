using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using CclAgent.Core.Files;

namespace CclAgent.Core.Validation;

/// <summary>
/// Reads a JSON input file into a typed value and turns every System.Text.Json failure
/// (missing file, malformed JSON, unknown field, wrong type) into an <see cref="InputProblem"/>
/// that names the file, the JSON path and what was expected.
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
        try
        {
            T? value = JsonSerializer.Deserialize(text, typeInfo);
            return value is null
                ? LoadResult<T>.Failed(new InputProblem(file, "$", "expected a JSON object, found null"))
                : LoadResult<T>.Ok(value);
        }
        catch (JsonException ex)
        {
            return LoadResult<T>.Failed(Describe(file, ex, typeInfo));
        }
    }

    private static InputProblem Describe(string file, JsonException ex, JsonTypeInfo typeInfo)
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

    [GeneratedRegex("The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex("could not be converted to (?<type>[^.]+(\\.[^ .]+)*)")]
    private static partial Regex CannotConvert();
}
