using System.Text.Json.Serialization.Metadata;
using CclAgent.Llm.Calls;
using CclAgent.Llm.Clients;
using CclAgent.Llm.Context;
using CclAgent.Llm.Replies;
using CclAgent.Tuning.Advice;
using CclAgent.Tuning.Records;

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

    public RecordedModel Recorded => Record(session.Settings);

    /// <summary>The settings as replay.json records them (no key: only the endpoint without user info).</summary>
    public static RecordedModel Record(LlmSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RecordedModel
        {
            Provider = LlmSettings.ProviderName(settings.Provider),
            Model = settings.Model,
            Endpoint = settings.SafeEndpoint,
            MaxCalls = settings.MaxCalls,
            ContextTokens = settings.ContextTokens,
            MaxOutputTokens = settings.MaxOutputTokens,
            Stream = settings.Stream,
            TimeoutSeconds = settings.Timeout.TotalSeconds,
            MaxRetries = settings.MaxRetries,
        };
    }

    /// <summary>The settings a recorded run asked with, to ask the same way again; null for a provider this version does not know.</summary>
    public static LlmSettings? Settings(RecordedModel recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (LlmSettings.ParseProvider(recorded.Provider) is not { } provider || provider == LlmProvider.None || !Uri.TryCreate(recorded.Endpoint, UriKind.Absolute, out Uri? endpoint))
        {
            return null;
        }

        return new LlmSettings
        {
            Provider = provider,
            Model = recorded.Model,
            Endpoint = endpoint,
            MaxCalls = recorded.MaxCalls,
            ContextTokens = recorded.ContextTokens,
            MaxOutputTokens = recorded.MaxOutputTokens,
            Stream = recorded.Stream,
            Timeout = TimeSpan.FromSeconds(recorded.TimeoutSeconds),
            MaxRetries = recorded.MaxRetries,
        };
    }

    public ModelUsage Usage(int validatedProposals) =>
        new(LlmSettings.ProviderName(session.Settings.Provider), session.Used, session.Calls, validatedProposals, session.UnavailableReason);

    private static ReplyValidation ToValidation(AdviceVerdict verdict) => new(verdict.Accepted, verdict.Rejected);
}
