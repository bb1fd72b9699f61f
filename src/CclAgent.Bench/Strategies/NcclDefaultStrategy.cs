using System.Diagnostics;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Bench.Strategies;

/// <summary>The baseline users start from: NCCL's own choices, every trial.</summary>
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
            ledger.Run(NcclConfig.Default, TrialLedger.Median);
        }

        return Task.FromResult(new StrategyRun(ledger.Points, 0, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
    }
}
