using System.Diagnostics;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// The baseline users start from: NCCL's own choices, every trial. It tunes nothing, so it runs as the job really
/// would: one job start, then each trial is only a trial's worth of iterations of the running job.
/// </summary>
public sealed class NcclDefaultStrategy : IBenchStrategy
{
    public string Name => "nccl-default";

    public Task<StrategyRun> RunAsync(StrategyInput input, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var ledger = new TrialLedger(input);
        for (int trial = 0; trial < input.Budget; trial++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ledger.RunInJob(NcclConfig.Default, ledger.Iterations, ledger.Iterations, TrialLedger.Median);
        }

        return Task.FromResult(ledger.Result(Stopwatch.GetElapsedTime(start).TotalMilliseconds, ledger.JobStartSeconds()));
    }
}
