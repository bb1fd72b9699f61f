using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Tuning.Jobs;
using CclAgent.Tuning.Offline;
using CclAgent.Tuning.Resuming;

namespace CclAgent.Runtime.Replay;

/// <summary>
/// What stands behind a replay's record: nothing runs. A job or nccl-tests run the record does not answer means the
/// engine left the recorded path, which replay reports as a divergence.
/// </summary>
internal sealed class UnrecordedWork(bool appliesTunerConf) : IJobRunner, ICollectiveBenchmark
{
    public string Name => "replay";

    public string ToolName => "replay";

    public bool AppliesTunerConf => appliesTunerConf;

    public Task<JobResult> RunAsync(JobRequest request, CancellationToken cancellationToken) =>
        throw new ResumeException($"step {request.Step} would run the job, which the record does not answer");

    public Task<CollectiveBenchmarkReading?> MeasureAsync(CollectiveCall collective, NcclConfig config, CancellationToken cancellationToken) =>
        throw new ResumeException("the microbenchmark would run again instead of being read from offline/microbenchmark.json");
}
