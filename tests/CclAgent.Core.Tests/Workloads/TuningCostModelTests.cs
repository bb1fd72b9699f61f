using CclAgent.Core.Tests.Support;
using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using CclAgent.Testing;
using static CclAgent.Core.Tests.Support.SampleWorkloads;

namespace CclAgent.Core.Tests.Workloads;

public sealed class TuningCostModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static WorkloadSpec WithNodes(int nodes) => Valid() with { Cluster = Valid().Cluster! with { Nodes = nodes } };

    private Task<LoadResult<WorkloadSpec>> LoadAsync(string tuningCost) =>
        WorkloadLoader.LoadAsync(_dir.Write("w.json", SampleWorkloads.ValidJson.Replace("\"name\": \"test-2x8\",", $"\"name\": \"test-2x8\", \"tuning_cost\": {tuningCost},", StringComparison.Ordinal)), CancellationToken.None);

    [Fact]
    public void Without_tuning_cost_a_job_start_and_a_nccl_tests_start_grow_with_the_nodes()
    {
        TuningCostModel one = TuningCostModel.For(WithNodes(1));
        TuningCostModel many = TuningCostModel.For(WithNodes(64));

        one.JobStartSeconds.Should().Be(TuningCostModel.JobStartBaseSeconds + TuningCostModel.InitSecondsPerNode);
        many.JobStartSeconds.Should().BeGreaterThan(one.JobStartSeconds);
        many.MicrobenchmarkStartSeconds.Should().BeGreaterThan(one.MicrobenchmarkStartSeconds);
        many.Gpus.Should().Be(64 * 8);
        one.RemainingIterations.Should().Be(TuningCostModel.DefaultRemainingIterations);
    }

    [Fact]
    public void Explicit_tuning_cost_fields_replace_the_defaults()
    {
        TuningCostModel model = TuningCostModel.For(Valid() with { TuningCost = new TuningCostSpec { JobStartSeconds = 300, MicrobenchmarkStartSeconds = 2, RemainingIterations = 50 } });

        model.JobStartSeconds.Should().Be(300);
        model.MicrobenchmarkStartSeconds.Should().Be(2);
        model.RemainingIterations.Should().Be(50);
    }

    [Fact]
    public void A_restart_costs_the_job_start_plus_its_iterations_and_in_job_iterations_cost_only_themselves()
    {
        TuningCostModel model = TuningCostModel.For(Valid() with { TuningCost = new TuningCostSpec { JobStartSeconds = 60 } });

        model.RestartedTrialSeconds([500, 500, 1000]).Should().Be(62);
        TuningCostModel.InJobSeconds([500, 500, 1000]).Should().Be(2);
        model.GpuHours(3600).Should().Be(model.Gpus);
    }

    [Fact]
    public void A_nccl_tests_run_costs_its_start_plus_its_timed_calls()
    {
        TuningCostModel model = TuningCostModel.For(Valid() with { TuningCost = new TuningCostSpec { MicrobenchmarkStartSeconds = 5 } });

        // 25 timed calls (-n 20, -w 5) of 1 s each.
        model.MicrobenchmarkRunSeconds(1e6).Should().Be(30);
    }

    [Fact]
    public async Task An_unknown_tuning_cost_field_is_one_problem_at_its_path()
    {
        LoadResult<WorkloadSpec> result = await LoadAsync("""{"job_start_secs": 30}""");

        InputProblem problem = result.Problems.Should().ContainSingle().Subject;
        problem.JsonPath.Should().Be("$.tuning_cost.job_start_secs");
        problem.Message.Should().Contain("unknown field 'job_start_secs'");
    }

    [Fact]
    public async Task An_out_of_range_tuning_cost_value_names_the_field_and_the_range()
    {
        LoadResult<WorkloadSpec> result = await LoadAsync("""{"job_start_seconds": 90000}""");

        InputProblem problem = result.Problems.Should().ContainSingle().Subject;
        problem.JsonPath.Should().Be("$.tuning_cost.job_start_seconds");
        problem.Message.Should().Be("90000 is out of range; expected a number in [0, 86400]");
    }
}
