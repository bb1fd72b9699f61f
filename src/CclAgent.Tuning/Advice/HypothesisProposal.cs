using System.ComponentModel;

namespace CclAgent.Tuning.Advice;

/// <summary>One hypothesis in the model's online reply: a patch on top of the incumbent and its rationale.</summary>
internal sealed record HypothesisProposal
{
    [Description("The NCCL variables to change relative to the current best configuration")]
    public required IReadOnlyList<ProposedSetting> Settings { get; init; }

    [Description("Why this change should make the iteration faster, in one or two sentences")]
    public required string Rationale { get; init; }

    [Description("Evidence ids from the context this relies on, e.g. rag:nccl-protocols:2 or metric:3:iteration_ms")]
    public required IReadOnlyList<string> Citations { get; init; }
}
