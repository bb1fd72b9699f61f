using System.ComponentModel;

namespace CclAgent.Tuning.Advice;

/// <summary>The model's reply to the offline question: one configuration to try first, and why.</summary>
internal sealed record BaselineReply
{
    [Description("The NCCL variables to set; variables left out stay at NCCL's default")]
    public required IReadOnlyList<ProposedSetting> Settings { get; init; }

    [Description("Why this configuration should beat NCCL's defaults here, in one or two sentences")]
    public required string Rationale { get; init; }

    [Description("Evidence ids from the context this relies on, e.g. rag:nccl-protocols:2")]
    public required IReadOnlyList<string> Citations { get; init; }
}
