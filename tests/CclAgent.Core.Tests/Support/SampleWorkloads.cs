using CclAgent.Core.Workloads;

namespace CclAgent.Core.Tests.Support;

/// <summary>A small valid two-node workload that tests modify one field at a time.</summary>
internal static class SampleWorkloads
{
    public const string ValidJson = """
        {
          "name": "test-2x8",
          "kind": "training",
          "cluster": {
            "gpu": "H100-SXM", "generation": "hopper", "sm_count": 132, "gpu_memory_gib": 80,
            "nodes": 2, "gpus_per_node": 8, "intra_fabric": "nvswitch", "nvlink_gbps": 450,
            "pcie_gen": 5, "cpu_sockets": 2, "cpu_vendor": "intel",
            "network": { "kind": "infiniband", "nics_per_node": 8, "nic_gbps": 400, "gpu_nic_path": "PIX" }
          },
          "model": { "name": "llama3-8b", "parameters_billions": 8, "parallelism": { "dp": 16 } },
          "iteration": {
            "compute_ms": 500,
            "collectives": [
              { "name": "grads", "op": "all_reduce", "bytes": 104857600, "count": 10, "nodes": 2, "ranks_per_node": 8, "overlap": 0.5 },
              { "name": "params", "op": "all_gather", "bytes": 1048576, "count": 4, "nodes": 2, "ranks_per_node": 8 }
            ]
          },
          "tuning": { "budget": 20, "sla_max_iteration_ms": 2000, "target_speedup": 1.5, "plateau_steps": 5,
                      "iterations": 20, "warmup_iterations": 3, "step_timeout_seconds": 600 }
        }
        """;

    public static WorkloadSpec Valid() => new()
    {
        Name = "test-2x8",
        Cluster = new ClusterSpec
        {
            Generation = "hopper",
            Nodes = 2,
            GpusPerNode = 8,
            IntraFabric = "nvswitch",
            Network = new NetworkSpec { Kind = "infiniband", NicsPerNode = 8, NicGbps = 400 },
        },
        Iteration = new IterationSpec
        {
            ComputeMs = 500,
            Collectives =
            [
                new CollectiveSpec { Op = "all_reduce", Bytes = 1 << 20, Nodes = 2, RanksPerNode = 8 },
                new CollectiveSpec { Op = "all_gather", Bytes = 1 << 20, Nodes = 2, RanksPerNode = 8 },
            ],
        },
    };
}
