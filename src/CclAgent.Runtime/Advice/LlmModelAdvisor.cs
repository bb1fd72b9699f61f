using System.Text.Json.Serialization.Metadata;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Context;
using CclAgent.Llm.Replies;
using CclAgent.Tuning.Advice;

namespace CclAgent.Runtime.Advice;

/// <summary>
/// The agent's model port over an <see cref="LlmSession"/>: questions become prompt packs with a prioritised
/// context window, replies are parsed strictly and repaired once, and every call is traced by the session.
/// </summary>
public sealed class LlmModelAdvisor(LlmSession session) : IModelAdvisor
{
    public bool CanAsk => session.CanAsk;

    public async Task<AdviceAnswer<T>> AskAsync<T>(AdviceQuestion question, JsonTypeInfo<T> contract, Func<T, AdviceVerdict> validate, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(question);
        var request = new LlmRequest
        {
            Purpose = question.Purpose,
            Phase = question.Phase,
            Step = question.Step,
            Instructions = question.Instructions,
            Task = question.Task,
            Sections = question.Sections.Select(s => new ContextSection(s.Name, s.Priority, s.Text) { Citations = s.Citations }).ToList(),
        };
        LlmCallResult<T> result = await session.AskAsync(request, contract, reply => ToValidation(validate(reply)), cancellationToken);
        return new AdviceAnswer<T>(result.Value, result.Evidence, result.Citations);
    }

    public ModelUsage Usage(int validatedProposals) =>
        new(LlmSettings.ProviderName(session.Settings.Provider), session.Used, session.Calls, validatedProposals, session.UnavailableReason);

    private static ReplyValidation ToValidation(AdviceVerdict verdict) => new(verdict.Accepted, verdict.Rejected);
}
