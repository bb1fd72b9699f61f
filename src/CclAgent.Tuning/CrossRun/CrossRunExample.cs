using CclAgent.Core.Context;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.CrossRun;

/// <summary>A trial from memory, ready for training: its context, configuration and relative time.</summary>
internal sealed record CrossRunExample(string RunId, ContextFeatures Context, NcclConfig Config, double RelativeLog);
