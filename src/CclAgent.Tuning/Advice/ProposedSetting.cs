using System.ComponentModel;

namespace CclAgent.Tuning.Advice;

/// <summary>One NCCL variable the model wants set, as it appears in the reply JSON.</summary>
internal sealed record ProposedSetting
{
    [Description("NCCL environment variable name, e.g. NCCL_ALGO")]
    public required string Name { get; init; }

    [Description("Value exactly as NCCL reads it, taken from the search space, e.g. Ring or 256")]
    public required string Value { get; init; }
}
