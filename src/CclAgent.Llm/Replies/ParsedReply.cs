namespace CclAgent.Llm.Replies;

/// <summary>The result of parsing a reply strictly: the value, or the kind of failure and a message for the repair turn.</summary>
public sealed record ParsedReply<T>(T? Value, string? FailureKind, string? Error)
    where T : class
{
    public bool Ok => Value is not null;

    public const string InvalidJson = "invalid_json";
    public const string SchemaViolation = "schema_violation";
}
