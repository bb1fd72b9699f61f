namespace CclAgent.Llm.Replies;

/// <summary>
/// The caller's verdict on a parsed reply: which proposals passed the parameter space and risk rules,
/// and which did not and why. Any rejection earns the model one repair turn.
/// </summary>
public sealed record ReplyValidation(IReadOnlyList<string> Accepted, IReadOnlyList<string> Rejected)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsClean => Rejected.Count == 0;
}
