using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Advice;

/// <summary>A model proposal after validation: the configuration it leads to, or why it was refused.</summary>
internal sealed record ProposalCheck(IReadOnlyDictionary<string, string> Patch, NcclConfig? Config, double? Risk, double? PredictedMs, string? Problem)
{
    public bool Ok => Problem is null;

    public string Describe() => string.Join(", ", Patch.Select(kv => $"{kv.Key}={kv.Value}"));
}
