namespace CclAgent.Simulation;

/// <summary>Knobs of the simulated cluster that are not hardware: noise and injected faults.</summary>
public sealed record SimulationOptions
{
    /// <summary>Seed of every random draw (noise, stragglers, faults).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>1.2% ≈ what a quiet cluster shows.</summary>
    public const double DefaultNoiseSigma = 0.012;

    /// <summary>Log-normal sigma of per-iteration noise.</summary>
    public double NoiseSigma { get; init; } = DefaultNoiseSigma;

    /// <summary>Probability that an iteration is hit by a straggler (OS jitter, a slow rank).</summary>
    public double StragglerProbability { get; init; } = 0.01;

    /// <summary>Probability that a whole trial fails with a transient network fault.</summary>
    public double TransientFaultRate { get; init; }
}
