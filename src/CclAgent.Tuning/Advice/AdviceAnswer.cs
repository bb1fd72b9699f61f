namespace CclAgent.Tuning.Advice;

/// <summary>
/// The model's parsed reply (null when it failed, could not be parsed, or the call was skipped), the evidence id
/// of the call (llm:&lt;call_id&gt;), and the citations the prompt offered.
/// </summary>
public sealed record AdviceAnswer<T>(T? Value, string? Evidence, IReadOnlyList<string> Citations)
    where T : class;
