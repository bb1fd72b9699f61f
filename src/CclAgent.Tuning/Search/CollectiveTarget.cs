using CclAgent.Nccl.Tuner;

namespace CclAgent.Tuning.Search;

/// <summary>One collective the search may give its own choice: its key, NCCL's channel count for it, and its share of communication (µs per iteration).</summary>
internal sealed record CollectiveTarget(TunerKey Key, int DefaultChannels, double WeightUs);
