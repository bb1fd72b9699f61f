using System.Diagnostics;
using CclAgent.Nccl.Parameters;

namespace CclAgent.Bench.Strategies;

/// <summary>
/// Random search over the same space: the defaults first, then configurations drawn uniformly among
/// those the parameter-space rules accept (a naive tuner still would not force LL128 on PCIe). NCCL reads its
/// environment at init, so every trial is a job restart.
/// </summary>
public sealed class RandomStrategy : IBenchStrategy
{
    public string Name => "random";

    public Task<StrategyRun> RunAsync(StrategyInput input, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var ledger = new TrialLedger(input);
        var random = new Random(input.Seed * 7727);
        var platform = ledger.Cluster.Cluster.Platform;
        NcclConfig[] legal = ledger.Cluster.Space.Enumerate()
            .Where(c => ConfigValidator.IsRunnable(ConfigValidator.Validate(c, platform, ledger.Cluster.Ops.ToArray())))
            .ToArray();
        ledger.Run(NcclConfig.Default, TrialLedger.Median);
        for (int trial = 1; trial < input.Budget; trial++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ledger.Run(legal[random.Next(legal.Length)], TrialLedger.Median);
        }

        return Task.FromResult(ledger.Result(Stopwatch.GetElapsedTime(start).TotalMilliseconds));
    }
}
