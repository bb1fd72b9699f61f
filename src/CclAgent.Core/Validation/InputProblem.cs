namespace CclAgent.Core.Validation;

/// <summary>
/// One thing wrong with a user's input, located precisely enough to fix it:
/// the file, the JSON path inside it and what was expected.
/// </summary>
public sealed record InputProblem(string File, string JsonPath, string Message)
{
    public override string ToString() => $"{File}: {JsonPath}: {Message}";
}
