using System.ComponentModel;

namespace CclAgent.Tuning.Advice;

/// <summary>The model's reply to the online question: up to <see cref="ModelProposals.MaxHypotheses"/> hypotheses.</summary>
internal sealed record HypothesesReply
{
    [Description("Between one and three hypotheses, most promising first")]
    public required IReadOnlyList<HypothesisProposal> Hypotheses { get; init; }
}
