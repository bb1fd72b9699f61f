using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Tuning.Offline;

/// <summary>
/// Times one collective alone under a configuration, as nccl-tests would (median µs of a few runs),
/// and reports the channel count NCCL prints at init (NCCL_DEBUG=INFO). Null when the run fails.
/// </summary>
public interface ICollectiveBenchmark
{
    Task<CollectiveBenchmarkReading?> MeasureAsync(CollectiveCall collective, NcclConfig config, CancellationToken cancellationToken);
}
