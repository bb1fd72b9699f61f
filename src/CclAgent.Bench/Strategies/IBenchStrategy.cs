namespace CclAgent.Bench.Strategies;

/// <summary>A tuning strategy under test. Every strategy gets the same scenario, seed, noise and trial budget.</summary>
public interface IBenchStrategy
{
    string Name { get; }

    Task<StrategyRun> RunAsync(StrategyInput input, CancellationToken cancellationToken);
}
