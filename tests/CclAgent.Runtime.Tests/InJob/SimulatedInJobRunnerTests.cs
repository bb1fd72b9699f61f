using CclAgent.Core.Steps;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Nccl.Compilation;
using CclAgent.Nccl.Parameters;
using CclAgent.Runtime.InJob;
using CclAgent.Runtime.Simulated;
using CclAgent.Simulation;
using CclAgent.Testing;
using CclAgent.Tuning.Jobs;

namespace CclAgent.Runtime.Tests.InJob;

public sealed class SimulatedInJobRunnerTests
{
    private static async Task<SimulatedInJobRunner> RunnerAsync()
    {
        LoadResult<WorkloadSpec> loaded = await WorkloadLoader.LoadAsync(Path.Combine(RepoPaths.Root, "workload/sim/l40s-1x8-pcie-ddp.json"), CancellationToken.None);
        return new SimulatedInJobRunner(new SimulatedJobRunner(new SimulatedCluster(loaded.Value!, new SimulationOptions { Seed = 3 })));
    }

    private static JobRequest Request(int step, NcclConfig config) => new(step, StepKind.Trial, config, NcclEnvCompiler.Compile(config), 5, 3);

    [Fact]
    public async Task The_first_run_launches_the_job_and_a_same_environment_run_is_a_window_that_drops_one_straddling_iteration()
    {
        SimulatedInJobRunner runner = await RunnerAsync();

        JobResult first = await runner.RunAsync(Request(0, NcclConfig.Default), CancellationToken.None);
        JobResult second = await runner.RunAsync(Request(1, NcclConfig.Default), CancellationToken.None);

        first.Restarted.Should().BeTrue();
        first.DroppedIterations.Should().Be(3);
        second.Restarted.Should().BeFalse();
        second.DroppedIterations.Should().Be(InJobEnvironment.StraddlingIterations);
        second.IterationMs.Should().HaveCount(5);
        runner.Counts.Should().Be(new InJobCounts(1, 1, null));
    }

    [Fact]
    public async Task An_init_time_knob_change_restarts_the_job()
    {
        SimulatedInJobRunner runner = await RunnerAsync();
        await runner.RunAsync(Request(0, NcclConfig.Default), CancellationToken.None);

        JobResult changed = await runner.RunAsync(Request(1, NcclConfig.Default with { BuffSize = 1 << 20 }), CancellationToken.None);

        changed.Restarted.Should().BeTrue();
        runner.Counts.JobLaunches.Should().Be(2);
    }

    [Fact]
    public async Task Settling_on_the_running_environment_launches_nothing_but_settling_on_another_restarts()
    {
        SimulatedInJobRunner runner = await RunnerAsync();
        await runner.RunAsync(Request(0, NcclConfig.Default), CancellationToken.None);

        await runner.SettleAsync(Request(1, NcclConfig.Default), CancellationToken.None);
        runner.Counts.JobLaunches.Should().Be(1);
        await runner.SettleAsync(Request(2, NcclConfig.Default with { NThreads = 256 }), CancellationToken.None);
        runner.Counts.JobLaunches.Should().Be(2);
    }
}
