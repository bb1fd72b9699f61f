using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Classification;
using CclAgent.Incident.Classification;
using CclAgent.Incident.Signals;

namespace CclAgent.Incident.Planning;

/// <summary>
/// The rule table from category to fix. Config fixes follow vLLM's own advice (its preemption warning says
/// "Increase gpu_memory_utilization or tensor_parallel_size"; its OOM errors say lower gpu_memory_utilization or
/// max_num_seqs); node faults get the operator action of NVIDIA's Xid catalog or the kernel's report.
/// </summary>
internal static partial class FixRules
{
    public static FixPlan Plan(IncidentDiagnosis diagnosis, Observations o) => diagnosis.Category switch
    {
        IncidentCategory.KvCacheExhaustion => KvCache(o),
        IncidentCategory.SchedulerOverload => Scheduler(o),
        FailureCategory.CudaOom => CudaOom(o),
        IncidentCategory.EngineStartupHang => Node("engine-core process", "restart the engine with its start-up logged at DEBUG (VLLM_LOGGING_LEVEL=DEBUG); find the engine-core step that hangs (weight loading, torch.compile/CUDA-graph capture, device or NCCL init) and fix that; try --enforce-eager to rule out compilation", "engine starts and serves; a config change alone is not known to fix a hang"),
        IncidentCategory.GpuThrottling => Node("gpu node", "check cooling (fans, inlet temperature, airflow) and power delivery / power cap (nvidia-smi -q -d PERFORMANCE,POWER); drain the node until clocks are no longer throttled", "clocks and step time return to normal after the node is repaired"),
        FailureCategory.GpuXid => Node("gpu node", "cordon and drain the node; reset the GPU or reboot per NVIDIA's Xid catalog (Xid 79/48/119: bare-metal restart and hardware inspection); run dcgmi diag -r 3 before returning it", "node replaced or repaired; no config change heals an Xid"),
        FailureCategory.EccUncorrectable => Node("gpu node", "drain the node; reset the GPU so pages are retired/rows remapped; if uncorrectable errors recur, replace the GPU (dcgmi diag -r 3)", "GPU repaired; a config change does not heal ECC errors"),
        FailureCategory.HostOom => HostOom(o),
        FailureCategory.CpuSoftLockup or FailureCategory.HungTask => Node("host", "a CPU is stuck in the kernel (soft lockup / hung task): drain the node, collect the kernel stack, update the driver/kernel or reboot", "node repaired; no config change unblocks a CPU"),
        FailureCategory.IbNetworkError or FailureCategory.SocketNetworkError or FailureCategory.BootstrapInterface => Node("nic", Network(o), "network path repaired; not a serving-config fix"),
        _ => new FixPlan([new FixAction(FixActionKind.Code, "service", null, "no fix known for this category; inspect the evidence lines")], "unknown"),
    };

    private static FixPlan KvCache(Observations o)
    {
        var actions = new List<FixAction>();
        if (o.KeyOf(ServingKnobs.MemoryFraction) is string memory && o.ConfigValue(memory) is double g && g < 0.95)
        {
            actions.Add(new FixAction(FixActionKind.Config, o.TargetOf(memory)!, Math.Round(Math.Min(0.95, g + 0.05), 2), $"a larger share of GPU memory ({memory}) for the KV cache holds more sequences without preemption"));
        }

        if (o.KeyOf(ServingKnobs.MaxSequences) is string seqs && o.ConfigValue(seqs) is double m && m > 1 && (actions.Count == 0 || o.KvUsage >= 0.97))
        {
            actions.Add(new FixAction(FixActionKind.Config, o.TargetOf(seqs)!, Math.Max(1, Math.Floor(m * 0.75)), $"fewer concurrent sequences ({seqs}) keep KV demand below capacity, so requests are not preempted and recomputed"));
        }

        return actions.Count > 0
            ? new FixPlan(actions, "fewer preemptions; lower p95 latency and TTFT")
            : new FixPlan([new FixAction(FixActionKind.Node, "model server", null, "no KV-cache knob in the config: raise the engine's GPU memory fraction (--gpu-memory-utilization, --mem-fraction-static) or --tensor-parallel-size at the next deployment")], "unknown");
    }

    private static FixPlan Scheduler(Observations o)
    {
        var actions = new List<FixAction>();
        if (o.KeyOf(ServingKnobs.MaxSequences) is string key && o.ConfigValue(key) is double m)
        {
            // Headroom is what the KV cache can hold: usage u with N running fits about N/u sequences.
            double room = o.KvUsage is double u && u > 0 && o.Running is double n && n > 0 ? n * 0.9 / u : m * 2;
            double next = Math.Floor(Math.Clamp(Math.Min(m * 2, room), m + 1, 4096));
            actions.Add(new FixAction(FixActionKind.Config, o.TargetOf(key)!, next, $"the batch limit ({key}), not the GPU, is binding: more sequences per step drain the queue while the KV cache has room"));
        }

        if (o.KeyOf(ServingKnobs.StepTokens) is string tokens && o.ConfigValue(tokens) is double b && b < 16384)
        {
            actions.Add(new FixAction(FixActionKind.Config, o.TargetOf(tokens)!, Math.Min(1_048_576, b * 2), $"a larger per-step token budget ({tokens}) admits waiting prefills sooner"));
        }

        return actions.Count > 0
            ? new FixPlan(actions, "less queueing; lower p95 latency and TTFT; higher throughput")
            : new FixPlan([new FixAction(FixActionKind.Node, "model server", null, "add replicas or raise the batch limits (max_num_seqs, max_num_batched_tokens) at the next deployment")], "unknown");
    }

    private static FixPlan CudaOom(Observations o)
    {
        var actions = new List<FixAction>();

        // vLLM and SGLang reserve their fraction up front; what is left over holds activations and warm-up buffers.
        if (o.KeyOf(ServingKnobs.MemoryFraction) is string memory && o.ConfigValue(memory) is double g && g > 0.1)
        {
            actions.Add(new FixAction(FixActionKind.Config, o.TargetOf(memory)!, Math.Round(Math.Max(0.05, g - 0.1), 2), $"leave GPU memory outside the engine's pool ({memory}) for activations, sampler warm-up and other processes"));
        }

        // A knob the error itself names comes first (TGI: "You need to decrease `--max-batch-total-tokens`"); else the batch.
        string? batch = o.Serving.KnobsToLower.FirstOrDefault(k => o.TargetOf(k) is not null && ServingKnobs.RoleOf(k) is not null && o.ConfigValue(k) > 1)
            ?? ServingKnobs.BatchRoles.Select(o.KeyOf).FirstOrDefault(k => k is not null && o.ConfigValue(k) > 1);
        if (batch is not null && o.ConfigValue(batch) is double v)
        {
            bool named = o.Serving.KnobsToLower.Contains(batch, StringComparer.Ordinal);
            actions.Add(new FixAction(FixActionKind.Config, o.TargetOf(batch)!, Math.Max(1, Math.Floor(v / 2)),
                named ? $"the engine's own error asks to decrease {batch}: halving it halves the memory the batch needs" : $"halving the batch ({batch}) halves activation memory per step"));
        }

        return actions.Count > 0
            ? new FixPlan(actions, "the allocation fits; the service starts and errors stop")
            : new FixPlan([new FixAction(FixActionKind.Code, "service", null, "reduce batch size or sequence length, or enable activation checkpointing")], "unknown");
    }

    private static FixPlan HostOom(Observations o)
    {
        var actions = new List<FixAction>();

        // Each data-loader worker is a process with its own prefetched batches (and often a dataset copy) in host RAM.
        if (o.KeyOf(ServingKnobs.HostWorkers) is string workers && o.ConfigValue(workers) is double w && w > 0)
        {
            actions.Add(new FixAction(FixActionKind.Config, o.TargetOf(workers)!, Math.Floor(w / 2), $"fewer data-loader worker processes ({workers}) hold fewer batches in host RAM"));
        }

        actions.Add(new FixAction(FixActionKind.Node, "host", null, "the Linux OOM killer ended the process: reduce host-memory use on the node (fewer co-located processes, smaller CPU swap space / data-loader workers) or move to a node with more RAM"));
        return new FixPlan(actions, "process no longer killed; host memory is not part of the simulated config");
    }

    private static string Network(Observations o)
    {
        const string Base = "check the NIC and link (ibstat, ip link, switch port counters); pin NCCL_SOCKET_IFNAME/NCCL_IB_HCA to healthy interfaces; drain the node if the link flaps";

        // IB completion status 12 (vendor err 129) is the transport's retry timeout: the NICs cannot reach each other
        // (NCCL maintainers, NVIDIA/nccl#426); over RoCE the GID index NCCL picks must be one the fabric routes.
        bool timeout = o.ServiceLines.Concat(o.SystemLines).Any(l => TransportTimeout().IsMatch(l.Text));
        return timeout
            ? "IB completion error 12 is a transport timeout: the NICs cannot talk to each other; on RoCE use a routable GID (NCCL_IB_GID_INDEX, listed by show_gids) and check routing/switch config between the nodes; " + Base
            : Base;
    }

    [GeneratedRegex(@"NET/IB.*(with error 12\b|status=12\b)", RegexOptions.CultureInvariant)]
    private static partial Regex TransportTimeout();

    private static FixPlan Node(string target, string rationale, string impact) =>
        new([new FixAction(FixActionKind.Node, target, null, rationale)], impact);

    internal static JsonObject ToJson(FixPlan plan)
    {
        var actions = new JsonArray();
        foreach (FixAction a in plan.Actions)
        {
            actions.Add(new JsonObject
            {
                ["kind"] = a.Kind switch { FixActionKind.Config => "config", FixActionKind.Node => "node", _ => "code" },
                ["target"] = a.Target,
                ["value"] = a.Value?.DeepClone(),
                ["rationale"] = a.Rationale,
            });
        }

        return new JsonObject { ["actions"] = actions, ["expected_impact"] = plan.ExpectedImpact };
    }
}
