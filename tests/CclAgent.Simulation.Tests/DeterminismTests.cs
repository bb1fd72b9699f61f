using CclAgent.Nccl.Parameters;

namespace CclAgent.Simulation.Tests;

public sealed class DeterminismTests
{
    private static TrialSamples Measure(int seed) =>
        new SimulatedCluster(SimulationFiles.LoadWorkload(SimulationFiles.SimWorkloads[0]), new SimulationOptions { Seed = seed }).Measure(NcclConfig.Default, 50);

    [Fact]
    public void Same_seed_gives_the_same_samples()
    {
        Assert.Equal(Measure(42).IterationMs, Measure(42).IterationMs);
    }

    [Fact]
    public void Different_seeds_give_different_samples()
    {
        Assert.NotEqual(Measure(42).IterationMs, Measure(43).IterationMs);
    }

    [Fact]
    public void Noise_free_estimate_does_not_depend_on_the_seed()
    {
        Assert.Equal(Measure(1).Truth.IterationMs, Measure(2).Truth.IterationMs);
    }
}
