using CclAgent.Core.Workloads;
using CclAgent.Nccl.Parameters;
using CclAgent.Nccl.Tuner;
using CclAgent.Simulation.Oracle;
using Xunit.Abstractions;

namespace CclAgent.Simulation.Tests;

public sealed class JointOracleTests(ITestOutputHelper output)
{
    /// <summary>One L40S server running two collectives that want different choices: an exposed all-reduce and an overlapped one.</summary>
    private static WorkloadSpec TwoCollectives()
    {
        WorkloadSpec l40s = SimulationFiles.LoadWorkload(SimulationFiles.SimWorkloads.Single(p => p.Contains("l40s", StringComparison.Ordinal)));
        CollectiveSpec ddp = l40s.Iteration!.Collectives![0];
        return l40s with
        {
            Iteration = l40s.Iteration with
            {
                ComputeMs = 120,
                Collectives = [ddp with { Name = "tp", Bytes = 262144, Count = 48, Overlap = 0 }, ddp with { Count = 20, Overlap = 0.9 }],
            },
        };
    }

    [Fact]
    public async Task Threads_helping_with_the_walk_find_the_same_optimum_as_solving_it_alone()
    {
        var cluster = new SimulatedCluster(TwoCollectives(), new SimulationOptions());
        JointOracleResult alone = JointOracle.Solve(cluster);

        var work = new JointOracleWork(cluster);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(work.Help)));
        JointOracleResult helped = work.Result(alone.Global);

        helped.BestConfig.Key.Should().Be(alone.BestConfig.Key);
        helped.BestIterationMs.Should().Be(alone.BestIterationMs);
        helped.EnvironmentsEvaluated.Should().Be(alone.EnvironmentsEvaluated);
    }

    [Fact]
    public void Per_collective_choices_under_one_environment_match_brute_force_over_every_combination()
    {
        var cluster = new SimulatedCluster(TwoCollectives(), new SimulationOptions());
        var keys = cluster.DistinctCollectives.GroupBy(c => TunerKey.From(c.Call)).ToList();
        NcclConfig[] environments = [NcclConfig.Default, NcclConfig.Default with { NThreads = 256, BuffSize = 1 << 20 }, NcclConfig.Default with { MinChannels = 8, MaxChannels = 8 }];

        foreach (NcclConfig environment in environments)
        {
            (double merged, NcclConfig chosen) = JointOracle.BestChoices(cluster, environment, keys);
            double brute = BruteForce(cluster, environment, keys.Select(k => k.Key).ToList());

            output.WriteLine($"{environment.Key}: merged {merged:0.0000} ms, brute force {brute:0.0000} ms, chosen {chosen.Key}");
            merged.Should().BeApproximately(brute, 1e-9);
            cluster.Estimate(chosen).IterationMs.Should().BeApproximately(merged, 1e-9, "the merged sums are the simulator's own iteration time");
        }
    }

    [Fact]
    public void The_joint_oracle_is_never_slower_than_the_environment_oracle_and_says_what_it_chose()
    {
        var cluster = new SimulatedCluster(TwoCollectives(), new SimulationOptions());

        JointOracleResult joint = JointOracle.Solve(cluster);

        output.WriteLine($"joint {joint.BestIterationMs:0.000} ms ({joint.BestConfig.Key}), global {joint.GlobalBestIterationMs:0.000} ms, default {joint.DefaultIterationMs:0.000} ms, {joint.ElapsedMs:0} ms");
        joint.BestIterationMs.Should().BeLessThanOrEqualTo(joint.GlobalBestIterationMs + 1e-9);
        cluster.Estimate(joint.BestConfig).IterationMs.Should().BeApproximately(joint.BestIterationMs, 1e-9);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void On_every_shipped_workload_the_joint_oracle_is_at_least_as_fast_as_the_environment_oracle()
    {
        foreach (string path in SimulationFiles.SimWorkloads)
        {
            var cluster = new SimulatedCluster(SimulationFiles.LoadWorkload(path), new SimulationOptions());
            JointOracleResult joint = JointOracle.Solve(cluster);
            output.WriteLine($"{Path.GetFileNameWithoutExtension(path)}: joint {joint.BestIterationMs:0.000} global {joint.GlobalBestIterationMs:0.000} default {joint.DefaultIterationMs:0.000} ({joint.EnvironmentsEvaluated} environments, {joint.ElapsedMs:0} ms) {joint.BestConfig.Key}");
            joint.BestIterationMs.Should().BeLessThanOrEqualTo(joint.GlobalBestIterationMs + 1e-9);
            cluster.Estimate(joint.BestConfig).IterationMs.Should().BeApproximately(joint.BestIterationMs, 1e-6);
        }
    }

    private static double BruteForce(SimulatedCluster cluster, NcclConfig environment, List<TunerKey> keys)
    {
        var options = new List<TunerChoice?> { null };
        foreach (NcclAlgorithm algorithm in Enum.GetValues<NcclAlgorithm>())
        {
            foreach (NcclProtocol protocol in Enum.GetValues<NcclProtocol>())
            {
                options.AddRange(JointOracle.ChannelChoices.Select(c => (TunerChoice?)new TunerChoice(algorithm, protocol, c)));
            }
        }

        double best = double.PositiveInfinity;
        foreach (TunerChoice? first in options)
        {
            foreach (TunerChoice? second in options)
            {
                NcclConfig config = environment.WithChoice(keys[0], first).WithChoice(keys[1], second);
                best = Math.Min(best, cluster.Estimate(config).IterationMs);
            }
        }

        return best;
    }
}
