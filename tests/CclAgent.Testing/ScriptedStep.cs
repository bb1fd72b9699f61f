namespace CclAgent.Testing;

/// <summary>One reply of a scripted model: call a tool with these JSON arguments, or answer with text.</summary>
public sealed record ScriptedStep(string? Tool, string? ArgumentsJson, string? Text)
{
    public static ScriptedStep Call(string tool, string argumentsJson = "{}") => new(tool, argumentsJson, null);

    public static ScriptedStep Answer(string text) => new(null, null, text);
}
