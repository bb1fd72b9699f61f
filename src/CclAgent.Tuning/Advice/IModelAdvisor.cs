using System.Text.Json.Serialization.Metadata;
using CclAgent.Tuning.Records;

namespace CclAgent.Tuning.Advice;

/// <summary>
/// The language model as the agent sees it: one structured question in, one parsed reply out, with the
/// agent's own verdict on it (a rejected proposal earns the model one repair turn). Absent when no model is configured.
/// </summary>
public interface IModelAdvisor
{
    /// <summary>False once the model is unreachable or its call budget is spent: the agent stops asking.</summary>
    bool CanAsk { get; }

    Task<AdviceAnswer<T>> AskAsync<T>(AdviceQuestion question, JsonTypeInfo<T> contract, Func<T, AdviceVerdict> validate, CancellationToken cancellationToken)
        where T : class;

    /// <summary>The settings this advisor asks with, recorded for <c>replay</c>.</summary>
    RecordedModel Recorded { get; }

    /// <summary>How the run used the model, for the summary.</summary>
    ModelUsage Usage(int validatedProposals);
}
