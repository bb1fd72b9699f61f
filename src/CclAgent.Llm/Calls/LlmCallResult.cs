using CclAgent.Llm.Replies;

namespace CclAgent.Llm.Calls;

/// <summary>
/// What a call produced: the parsed reply (null when the model failed, the reply could not be parsed,
/// or the call was skipped), the call id to cite as evidence (llm:&lt;call_id&gt;), and the outcome.
/// </summary>
public sealed record LlmCallResult<T>(string? CallId, T? Value, ReplyValidation? Validation, string Outcome, string? Reason, IReadOnlyList<string> Citations)
    where T : class
{
    public string? Evidence => CallId is null ? null : "llm:" + CallId;

    public static LlmCallResult<T> Skipped(string reason) => new(null, null, null, "skipped", reason, []);
}
