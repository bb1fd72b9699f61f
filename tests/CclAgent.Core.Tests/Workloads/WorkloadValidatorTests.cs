using CclAgent.Core.Validation;
using CclAgent.Core.Workloads;
using static CclAgent.Core.Tests.Support.SampleWorkloads;

namespace CclAgent.Core.Tests.Workloads;

public sealed class WorkloadValidatorTests
{
    private const string File = "w.json";

    /// <summary>One bad value per field, keyed by the JSON path the validator must report.</summary>
    private static readonly Dictionary<string, Func<WorkloadSpec, WorkloadSpec>> Breakers = new()
    {
        ["$.name"] = w => w with { Name = null },
        ["$.kind"] = w => w with { Kind = "inference" },
        ["$.cluster"] = w => w with { Cluster = null },
        ["$.cluster.generation"] = w => w with { Cluster = w.Cluster! with { Generation = "pascal" } },
        ["$.cluster.nodes"] = w => w with { Cluster = w.Cluster! with { Nodes = -3 } },
        ["$.cluster.gpus_per_node"] = w => w with { Cluster = w.Cluster! with { GpusPerNode = 17 } },
        ["$.cluster.intra_fabric"] = w => w with { Cluster = w.Cluster! with { IntraFabric = "infinity" } },
        ["$.cluster.sm_count"] = w => w with { Cluster = w.Cluster! with { SmCount = 0 } },
        ["$.cluster.gpu_memory_gib"] = w => w with { Cluster = w.Cluster! with { GpuMemoryGib = 2048 } },
        ["$.cluster.pcie_gen"] = w => w with { Cluster = w.Cluster! with { PcieGen = 2 } },
        ["$.cluster.nvlink_gbps"] = w => w with { Cluster = w.Cluster! with { NvlinkGbps = 0 } },
        ["$.cluster.cpu_sockets"] = w => w with { Cluster = w.Cluster! with { CpuSockets = 9 } },
        ["$.cluster.cpu_vendor"] = w => w with { Cluster = w.Cluster! with { CpuVendor = "arm" } },
        ["$.cluster.network"] = w => w with { Cluster = w.Cluster! with { Network = null } },
        ["$.cluster.network.kind"] = w => w with { Cluster = w.Cluster! with { Network = w.Cluster.Network! with { Kind = "myrinet" } } },
        ["$.cluster.network.nics_per_node"] = w => w with { Cluster = w.Cluster! with { Network = w.Cluster.Network! with { NicsPerNode = 33 } } },
        ["$.cluster.network.nic_gbps"] = w => w with { Cluster = w.Cluster! with { Network = w.Cluster.Network! with { NicGbps = null } } },
        ["$.cluster.network.gpu_nic_path"] = w => w with { Cluster = w.Cluster! with { Network = w.Cluster.Network! with { GpuNicPath = "NVL" } } },
        ["$.model.parameters_billions"] = w => w with { Model = new ModelSpec { ParametersBillions = -1 } },
        ["$.model.parallelism.tp"] = w => w with { Model = new ModelSpec { Parallelism = new Dictionary<string, int> { ["tp"] = 0 } } },
        ["$.iteration"] = w => w with { Iteration = null },
        ["$.iteration.compute_ms"] = w => w with { Iteration = w.Iteration! with { ComputeMs = -1 } },
        ["$.iteration.gpu_memory_headroom_gib"] = w => w with { Iteration = w.Iteration! with { GpuMemoryHeadroomGib = 1025 } },
        ["$.iteration.collectives"] = w => w with { Iteration = w.Iteration! with { Collectives = [] } },
        ["$.iteration.collectives[1].op"] = w => WithSecond(w, c => c with { Op = "all_to_all" }),
        ["$.iteration.collectives[1].bytes"] = w => WithSecond(w, c => c with { Bytes = (1L << 40) + 1 }),
        ["$.iteration.collectives[1].count"] = w => WithSecond(w, c => c with { Count = 0 }),
        ["$.iteration.collectives[1].nodes"] = w => WithSecond(w, c => c with { Nodes = 3 }),
        ["$.iteration.collectives[1].ranks_per_node"] = w => WithSecond(w, c => c with { RanksPerNode = 9 }),
        ["$.iteration.collectives[1].concurrent_groups"] = w => WithSecond(w, c => c with { ConcurrentGroups = 4097 }),
        ["$.iteration.collectives[1].overlap"] = w => WithSecond(w, c => c with { Overlap = 1.5 }),
        ["$.tuning.budget"] = w => w with { Tuning = new TuningSpec { Budget = 0 } },
        ["$.tuning.sla_max_iteration_ms"] = w => w with { Tuning = new TuningSpec { SlaMaxIterationMs = 0 } },
        ["$.tuning.target_speedup"] = w => w with { Tuning = new TuningSpec { TargetSpeedup = 0.5 } },
        ["$.tuning.plateau_steps"] = w => w with { Tuning = new TuningSpec { PlateauSteps = 1001 } },
        ["$.tuning.iterations"] = w => w with { Tuning = new TuningSpec { Iterations = 0 } },
        ["$.tuning.warmup_iterations"] = w => w with { Tuning = new TuningSpec { WarmupIterations = -1 } },
        ["$.tuning.step_timeout_seconds"] = w => w with { Tuning = new TuningSpec { StepTimeoutSeconds = 86401 } },
        ["$.tuning_cost.job_start_seconds"] = w => w with { TuningCost = new TuningCostSpec { JobStartSeconds = -1 } },
        ["$.tuning_cost.microbenchmark_start_seconds"] = w => w with { TuningCost = new TuningCostSpec { MicrobenchmarkStartSeconds = 86_401 } },
        ["$.tuning_cost.remaining_iterations"] = w => w with { TuningCost = new TuningCostSpec { RemainingIterations = double.NaN } },
    };

    public static TheoryData<string> BrokenPaths() => new(Breakers.Keys);

    private static WorkloadSpec WithSecond(WorkloadSpec w, Func<CollectiveSpec, CollectiveSpec> change) =>
        w with { Iteration = w.Iteration! with { Collectives = [w.Iteration.Collectives![0], change(w.Iteration.Collectives[1])] } };

    [Fact]
    public void A_valid_workload_has_no_problems()
    {
        Assert.Empty(WorkloadValidator.Validate(Valid(), File));
    }

    [Theory]
    [MemberData(nameof(BrokenPaths))]
    public void Each_bad_field_gives_exactly_one_problem_at_its_path(string path)
    {
        IReadOnlyList<InputProblem> problems = WorkloadValidator.Validate(Breakers[path](Valid()), File);

        InputProblem problem = Assert.Single(problems);
        Assert.Equal(path, problem.JsonPath);
        Assert.Equal(File, problem.File);
        Assert.Contains("expected", problem.Message);
    }

    [Fact]
    public void Out_of_range_message_says_the_value_and_the_range()
    {
        InputProblem problem = Assert.Single(WorkloadValidator.Validate(Breakers["$.cluster.nodes"](Valid()), File));

        Assert.Equal("-3 is out of range; expected a number in [1, 4096]", problem.Message);
    }

    [Fact]
    public void Disallowed_choice_lists_the_allowed_values()
    {
        InputProblem problem = Assert.Single(WorkloadValidator.Validate(Breakers["$.cluster.generation"](Valid()), File));

        Assert.Equal("'pascal' is not allowed; expected one of volta, ampere, hopper, blackwell", problem.Message);
    }

    [Fact]
    public void Missing_required_field_says_missing_and_what_was_expected()
    {
        WorkloadSpec spec = Valid() with { Cluster = Valid().Cluster! with { GpusPerNode = null } };

        InputProblem problem = Assert.Single(WorkloadValidator.Validate(spec, File));

        Assert.Equal("$.cluster.gpus_per_node", problem.JsonPath);
        Assert.Equal("missing; expected a number in [1, 16]", problem.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        WorkloadSpec spec = Breakers["$.tuning.budget"](Breakers["$.cluster.pcie_gen"](Breakers["$.name"](Valid())));

        IReadOnlyList<InputProblem> problems = WorkloadValidator.Validate(spec, File);

        Assert.Equal(["$.name", "$.cluster.pcie_gen", "$.tuning.budget"], problems.Select(p => p.JsonPath));
    }

    [Fact]
    public void A_single_node_cluster_needs_no_network()
    {
        WorkloadSpec valid = Valid();
        WorkloadSpec spec = valid with
        {
            Cluster = valid.Cluster! with { Nodes = 1, Network = null },
            Iteration = valid.Iteration! with { Collectives = [new CollectiveSpec { Op = "reduce_scatter", Bytes = 1, Nodes = 1, RanksPerNode = 8 }] },
        };

        Assert.Empty(WorkloadValidator.Validate(spec, File));
    }

    [Fact]
    public void Collective_nodes_are_bounded_by_the_cluster_not_just_by_4096()
    {
        InputProblem problem = Assert.Single(WorkloadValidator.Validate(Breakers["$.iteration.collectives[1].nodes"](Valid()), File));

        Assert.Equal("3 is out of range; expected a number in [1, 2]", problem.Message);
    }

    [Fact]
    public void A_bad_cluster_size_is_reported_once_not_on_every_collective()
    {
        WorkloadSpec spec = Valid() with { Cluster = Valid().Cluster! with { Nodes = 0 } };

        InputProblem problem = Assert.Single(WorkloadValidator.Validate(spec, File));

        Assert.Equal("$.cluster.nodes", problem.JsonPath);
    }

    [Fact]
    public void Choices_are_matched_without_regard_to_case()
    {
        WorkloadSpec spec = Valid() with { Cluster = Valid().Cluster! with { Generation = "Hopper", IntraFabric = "NVSwitch" } };

        Assert.Empty(WorkloadValidator.Validate(spec, File));
    }

    [Fact]
    public void Nan_is_out_of_range()
    {
        WorkloadSpec spec = WithSecond(Valid(), c => c with { Overlap = double.NaN });

        Assert.Equal("$.iteration.collectives[1].overlap", Assert.Single(WorkloadValidator.Validate(spec, File)).JsonPath);
    }
}
