using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Code;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Hardware;

namespace CclAgent.Diagnosis.Recommendations;

/// <summary>
/// Concrete fixes for the diagnosed category (node actions, env vars with values, code changes), plus every
/// code finding, ranked CRITICAL → LOW. Node actions for fatal hardware faults come first: no setting fixes a
/// GPU that fell off the bus.
/// </summary>
internal static class RecommendationPlanner
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static List<Recommendation> Plan(Verdict verdict, IReadOnlyList<EvidenceItem> evidence, IReadOnlyList<CodeFinding> code)
    {
        EvidenceItem? root = verdict.EvidenceIds.Count > 0 ? evidence.FirstOrDefault(e => e.Id == verdict.EvidenceIds[0]) : null;
        IReadOnlyList<string> ids = verdict.EvidenceIds.Take(3).ToList();
        var list = new List<Recommendation>();
        void Add(string priority, string kind, string action, string effort, string? env = null, string? detail = null, string? location = null) =>
            list.Add(new Recommendation { Priority = priority, Kind = kind, Action = action, Effort = effort, Env = env, Detail = detail, Location = location, Category = verdict.Category, EvidenceIds = ids });
        string F(string key, string fallback) => root?.Facts.TryGetValue(key, out string? v) == true ? v : fallback;

        switch (verdict.Category)
        {
            case FailureCategory.GpuXid or FailureCategory.EccUncorrectable:
                Hardware(root, verdict, Add, F);
                break;
            case FailureCategory.IbNetworkError:
                IbRecommendations.Plan(root, Add, F);
                break;
            case FailureCategory.SocketNetworkError:
                Add(Priority.High, "env", "pin NCCL's socket traffic to the interface that routes between nodes (check with ip route get <peer ip>)", "15 min", env: "NCCL_SOCKET_IFNAME=eth0", detail: "replace eth0 with the routable interface; a ^-prefixed list excludes (e.g. ^lo,docker0)");
                Add(Priority.High, "node", $"check reachability of {F("peer", "the peer")}: routes, firewall/security groups for the ephemeral port range, MTU", "30 min");
                break;
            case FailureCategory.BootstrapInterface:
                Interfaces(root, evidence, Add, F);
                break;
            case FailureCategory.ShmExhausted:
                Add(Priority.Critical, "config", "give the container more /dev/shm: docker run --shm-size=16g (or --ipc=host); on Kubernetes mount an emptyDir with medium: Memory at /dev/shm", "15 min");
                Add(Priority.Medium, "env", "workaround while shm is small: NCCL falls back from shared memory to P2P/sockets (slower)", "5 min", env: "NCCL_SHM_DISABLE=1");
                Add(Priority.Low, "code", "lower DataLoader num_workers, which also holds batches in /dev/shm", "5 min");
                break;
            case FailureCategory.P2pHang:
                P2pHang(evidence, Add);
                break;
            case FailureCategory.CpuSoftLockup:
                Add(Priority.High, "node", $"look at the kernel log around the lockup ({F("task", "the task")} on CPU#{F("cpu", "?")}): driver bugs, IRQ storms or a hung filesystem; drain the node if it repeats", "1 h");
                Add(Priority.Medium, "code", "avoid oversubscribing CPUs: DataLoader num_workers × ranks per node ≤ cores; set OMP_NUM_THREADS", "15 min", env: "OMP_NUM_THREADS=4");
                break;
            case FailureCategory.HungTask:
                Add(Priority.High, "node", $"check the storage {F("task", "the task")} waits on (NFS/Lustre/FUSE mount health, dmesg for I/O errors); drain the node if the mount is stuck", "1 h");
                Add(Priority.Medium, "code", "write checkpoints to local disk and copy them asynchronously", "half a day");
                break;
            case FailureCategory.NcclTimeout:
                Add(Priority.High, "env", "record the collectives on every rank so the next hang names the rank and collective that diverged (analyse with torchfrtrace)", "10 min", env: "TORCH_NCCL_TRACE_BUFFER_SIZE=2000", detail: "with TORCH_NCCL_DUMP_ON_TIMEOUT=true; newer PyTorch spells it TORCH_FR_BUFFER_SIZE");
                Add(Priority.High, "investigate", verdict.StragglerRanks is { Count: > 0 } s ? $"rank {string.Join(", ", s)} enqueued fewer collectives than the others: collect its stdout and its node's dmesg (the cause is there)" : "collect every rank's log and each node's dmesg -T: the rank that failed first is not this one", "30 min");
                Add(Priority.Medium, "env", "more NCCL detail on the next run", "5 min", env: "NCCL_DEBUG=INFO", detail: "with NCCL_DEBUG_SUBSYS=INIT,NET");
                Add(Priority.Low, "code", "only if a legitimately slow step (checkpoint, evaluation on rank 0) exceeds it: raise the process-group timeout, init_process_group(timeout=timedelta(minutes=30))", "5 min");
                break;
            case FailureCategory.CudaOom:
                CudaOom(root, Add, F);
                break;
            case FailureCategory.HostOom:
                Add(Priority.High, "code", "reduce host memory per rank: fewer DataLoader workers (num_workers; each holds its own copy of the dataset object), memory-mapped datasets instead of in-memory copies per worker", "1 h");
                Add(Priority.Medium, "config", "raise the job's memory limit (cgroup/Slurm --mem, Kubernetes limits) if the usage is expected", "15 min");
                if (root?.Role == CausalRole.Confirmation)
                {
                    Add(Priority.Medium, "investigate", "confirm with the node's kernel log: dmesg -T | grep -iE 'oom|killed process'", "5 min");
                }

                break;
            case FailureCategory.NanOrInf:
                Add(Priority.High, "code", "find the first non-finite step and its batch; rerun it with torch.autograd.set_detect_anomaly(True) to name the operation", "1 h");
                Add(Priority.High, "code", "clip gradients and lower the learning rate, with a warmup at the start: torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)", "15 min");
                if (root?.Text.Contains("Loss became infinite or NaN at iteration", StringComparison.Ordinal) == true)
                {
                    // detectron2's own check (engine/train_loop.py); its configs assume 16 images a batch on 8 GPUs.
                    Add(Priority.High, "config", "detectron2: scale SOLVER.BASE_LR with SOLVER.IMS_PER_BATCH (linear scaling from the config's 16 images a batch), and keep SOLVER.WARMUP_ITERS", "15 min");
                }

                Add(Priority.Medium, "code", "train in bf16 instead of fp16 where the GPU supports it (Ampere or newer)", "30 min");
                break;
            case FailureCategory.LrTooHigh:
                Add(Priority.High, "code", $"lower the learning rate 2–10×{(root?.Facts.ContainsKey("lr") == true ? $" (now {F("lr", "")})" : string.Empty)} and add a linear warmup (e.g. 1–2 % of the steps)", "15 min");
                Add(Priority.High, "code", "clip gradients: torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)", "15 min");
                Add(Priority.Medium, "code", "skip or log batches whose loss is far above the running median (bad data often triggers the first spike)", "1 h");
                break;
            case FailureCategory.Fp16Overflow:
                Add(Priority.High, "code", "train in bf16 (same range as fp32, no loss scaling needed) on Ampere or newer", "30 min");
                Add(Priority.High, "config", "with fp16, use a dynamic loss scaler and let it recover: DeepSpeed \"fp16\": {\"loss_scale\": 0, \"initial_scale_power\": 16, \"loss_scale_window\": 1000, \"min_loss_scale\": 1}", "15 min");
                Add(Priority.Medium, "code", "lower the learning rate and clip gradients: scale collapse usually means real divergence", "15 min");
                break;
            case FailureCategory.CodeBug:
                CodeBug(root, Add, F);
                break;
            default:
                Add(Priority.Medium, "investigate", "rerun with NCCL and PyTorch detail, and collect every rank's log plus dmesg -T from every node", "30 min", env: "NCCL_DEBUG=INFO", detail: "TORCH_NCCL_DUMP_ON_TIMEOUT=true, TORCH_DISTRIBUTED_DEBUG=DETAIL");
                break;
        }

        foreach (CodeFinding finding in code)
        {
            list.Add(new Recommendation
            {
                Priority = finding.Priority,
                Kind = "code",
                Action = finding.Fix,
                Detail = finding.Message,
                Location = $"{finding.File}:{finding.Line}",
                Effort = "15 min",
                Category = finding.Explains ?? (finding.Categories.Count > 0 ? finding.Categories[0] : FailureCategory.CodeBug),
            });
        }

        return list.Select((r, i) => (r, i)).OrderBy(x => Priority.Rank(x.r.Priority)).ThenBy(x => x.i).Select(x => x.r).ToList();
    }

    private static void Hardware(EvidenceItem? root, Verdict verdict, Action<string, string, string, string, string?, string?, string?> add, Func<string, string, string> fact)
    {
        bool hasXid = root?.Facts.ContainsKey("xid") == true;
        XidEntry? entry = hasXid ? XidCatalog.Lookup(int.Parse(fact("xid", "0"), System.Globalization.CultureInfo.InvariantCulture)) : null;
        string gpu = fact("pci", "the GPU");
        if (entry is null || entry.DrainNode || verdict.Category == FailureCategory.EccUncorrectable)
        {
            add(Priority.Critical, "node", $"drain the node and reset {gpu} (nvidia-smi -r, or reboot); do not reschedule jobs on it until it passes dcgmi diag -r 3", "node downtime (1–4 h)", null,
                entry is null ? null : $"Xid {entry.Code}: {entry.Meaning}; NVIDIA: {entry.NvidiaResolution}; action: {entry.Action}", null);
            add(Priority.High, "node", "check ECC and row-remapping state: nvidia-smi -q -d ECC,ROW_REMAPPER; pending remaps or a remap failure mean RMA", "15 min", null, null, null);
        }
        else
        {
            add(Priority.High, "investigate", $"Xid {entry.Code} ({entry.Meaning}): {entry.Action}", "1 h", null, $"NVIDIA: {entry.NvidiaResolution}", null);
        }

        if (entry?.Code == 79)
        {
            add(Priority.High, "node", "Xid 79 is mostly power, heat or BIOS: check the PSU and power circuit, GPU temperatures and the PCIe slot (open-gpu-kernel-modules#507)", "half a day", null, null, null);
        }

        if (entry?.Code is 13 or 31)
        {
            add(Priority.High, "code", "rerun the failing step under compute-sanitizer or with CUDA_LAUNCH_BLOCKING=1 to find the out-of-bounds kernel", "1 h", "CUDA_LAUNCH_BLOCKING=1", null, null);
        }

        add(Priority.Medium, "config", "restart the job from its last checkpoint on healthy nodes (exclude this host)", "15 min", null, null, null);
    }

    private static void CudaOom(EvidenceItem? root, Action<string, string, string, string, string?, string?, string?> add, Func<string, string, string> fact)
    {
        if (root?.Signal == Signals.NcclCudaOom.Name)
        {
            add(Priority.High, "env", "NCCL's buffers do not fit next to the model: use smaller buffers and fewer channels", "10 min", "NCCL_BUFFSIZE=2097152", "and NCCL_MAX_NCHANNELS=8 (or undo the NCCL change that raised them)", null);
        }

        add(Priority.High, "code", "reduce activation memory: lower the micro-batch size (keep the global batch with gradient accumulation) or enable activation checkpointing", "30 min", null,
            "the per-GPU batch is per_device_train_batch_size in the Hugging Face Trainer, train_micro_batch_size_per_gpu in DeepSpeed, batch_size of the DataLoader otherwise", null);
        if (ByteSize.TryParse(fact("reserved_unallocated", ""), out double reserved) && ByteSize.TryParse(fact("tried_to_allocate", ""), out double wanted) && reserved >= wanted)
        {
            add(Priority.High, "env", $"{fact("reserved_unallocated", "")} is reserved but unallocated, more than the {fact("tried_to_allocate", "")} requested: fragmentation", "5 min", "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True", null, null);
        }
        else
        {
            add(Priority.Low, "env", "if memory is fragmented (reserved ≫ allocated in torch.cuda.memory_summary()), let the allocator grow segments", "5 min", "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True", "PyTorch prints this tip on every OOM, so it is not evidence of fragmentation by itself", null);
        }

        add(Priority.Medium, "code", "shard optimizer state and gradients (FSDP / ZeRO-2) or use a smaller-state optimizer", "half a day", null, null, null);
    }

    /// <summary>
    /// Interface selection: name the interfaces NCCL used and the real NIC it should use; a container on Docker's bridge
    /// network has no routable address at all, so host networking comes first there.
    /// </summary>
    private static void Interfaces(EvidenceItem? root, IReadOnlyList<EvidenceItem> evidence, Action<string, string, string, string, string?, string?, string?> add, Func<string, string, string> fact)
    {
        // The interfaces are seen on INFO lines that may come after the root line, so they are read from all the evidence.
        List<string> unroutable = evidence.Where(e => e.Signal == Signals.VirtualInterface.Name && e.Facts.ContainsKey("interface")).Select(e => e.Facts["interface"]).Distinct().ToList();
        if (root?.Signal == Signals.BridgeAddressConnect.Name)
        {
            unroutable.Insert(0, fact("peer", "a bridge address"));
        }

        if (unroutable.Count > 0)
        {
            add(Priority.Critical, "config", $"NCCL used {string.Join(", ", unroutable)}, which other nodes cannot reach: run the containers with host networking (docker run --network host; Kubernetes hostNetwork: true) so NCCL sees the node's real NIC", "15 min", null,
                "a container on Docker's bridge network only has a 172.17.x.x address behind NAT (NVIDIA/nccl#331)", null);
        }

        else if (root?.Signal == Signals.BootstrapNoInterface.Name || root?.Signal == Signals.SocketFamilyUnsupported.Name)
        {
            // A container often has no interface NCCL can use (only loopback, or an address family it cannot open); its
            // host name in NCCL's prefix is then Docker's 12-hex-digit container id (NVIDIA/nccl-tests#14: e66aa18dc444).
            string? container = evidence.Select(e => ContainerId(e.Text)).FirstOrDefault(id => id is not null);
            add(container is null ? Priority.Medium : Priority.High, "config", $"{(container is null ? "if this runs in a container, " : $"the host name {container} is a Docker container id: ")}give the container the node's network (docker run --net host, long form --network host; Kubernetes hostNetwork: true) so NCCL sees the node's NICs", "15 min", null, null, null);
        }

        string? real = evidence.Select(e => e.Facts.TryGetValue("real_nic", out string? nic) ? nic : null).FirstOrDefault(n => n is not null);
        string ifname = real ?? "<the real NIC>";
        add(unroutable.Count > 0 ? Priority.High : Priority.Critical, "env", $"pin NCCL's sockets to the node's routable NIC{(real is null ? string.Empty : $" ({real}, which NCCL also listed)")}: find it with ip -br addr and ip route get <peer ip>, on every node; a ^-prefixed list excludes instead (^docker,lo,veth,virbr)", "10 min",
            $"NCCL_SOCKET_IFNAME={ifname}", root?.Facts.ContainsKey("nccl_socket_ifname") == true ? $"it is now NCCL_SOCKET_IFNAME={fact("nccl_socket_ifname", "")}, which gave NCCL no usable address" : null, null);
        add(Priority.High, "config", "check MASTER_ADDR resolves and MASTER_PORT is open from every node (nc -zv $MASTER_ADDR $MASTER_PORT)", "15 min", null, null, null);
    }

    /// <summary>A P2P hang: the confirming test first, then the fix the evidence points at (ACS, the IOMMU), each with its command.</summary>
    private static void P2pHang(IReadOnlyList<EvidenceItem> evidence, Action<string, string, string, string, string?, string?, string?> add)
    {
        bool acs = evidence.Any(e => e.Signal == Signals.AcsEnabled.Name);
        bool iommu = evidence.Any(e => e.Signal is "iommu_not_passthrough" or "iommu_fault");
        add(Priority.Critical, "env", "confirm: rerun with P2P disabled; if the hang goes away, PCIe ACS/IOMMU is blocking peer-to-peer (p2pBandwidthLatencyTest from cuda-samples shows it too: P2P=Enabled far below P2P=Disabled)", "10 min", "NCCL_P2P_DISABLE=1", null, null);
        string acsAction = acs
            ? "lspci shows ACS redirection on (ACSCtl: SrcValid+/ReqRedir+/CmpltRedir+): clear it on the bridges above the GPUs, setpci -s <bridge> ECAP_ACS+0x6.w=0000 (at every boot), or pci=noacs / the BIOS setting"
            : "disable PCIe ACS on the switches/root ports above the GPUs (check with lspci -vvv | grep ACSCtl; clear with setpci -s <bridge> ECAP_ACS+0x6.w=0000, pci=noacs or the BIOS); NCCL's troubleshooting guide requires it on bare metal";
        string iommuAction = "boot with the IOMMU in pass-through: iommu=pt (or intel_iommu=off / amd_iommu=off) on the kernel command line, or turn the IOMMU (Intel VT-d, AMD-Vi) off in the BIOS, then reboot";
        add(Priority.High, "node", iommu && !acs ? iommuAction : acsAction, "1–2 h, node reboot", null, null, null);
        add(Priority.Medium, "node", iommu && !acs ? acsAction : iommuAction, "1–2 h, node reboot", null, null, null);
        add(Priority.Medium, "env", "keep P2P over NVLink only until ACS/IOMMU is fixed", "5 min", "NCCL_P2P_LEVEL=NVL", null, null);
    }

    /// <summary>Two ranks on one GPU: the mapping from process to device is wrong; no NCCL setting is involved.</summary>
    private static void DeviceMapping(Action<string, string, string, string, string?, string?, string?> add, Func<string, string, string> fact)
    {
        add(Priority.High, "code", $"give every process its own GPU before the process group is created: torch.cuda.set_device(int(os.environ[\"LOCAL_RANK\"])) (Horovod: hvd.local_rank()), and never a hard-coded cuda:0 or default device; ranks {fact("rank", "?")} and {fact("other_rank", "?")} both landed on CUDA device {fact("device", "?")}", "15 min", null,
            "the same mistake in DeepSpeed/Accelerate scripts: a device chosen before the launcher's LOCAL_RANK is read", null);
        add(Priority.High, "config", "make the launcher start one process per visible GPU: torchrun --nproc_per_node equal to the GPUs in CUDA_VISIBLE_DEVICES; Slurm srun --gpus-per-task=1 (or --gpu-bind=single:1); mpirun with one slot per GPU; do not give every rank the same CUDA_VISIBLE_DEVICES=<one GPU>", "15 min", "CUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7",
            "list every GPU of the node once, or let the launcher set it per task", null);
        add(Priority.Medium, "investigate", "print LOCAL_RANK, CUDA_VISIBLE_DEVICES and torch.cuda.current_device() on every rank at start-up to see which ranks collide", "10 min", null, null, null);
    }

    private static void CodeBug(EvidenceItem? root, Action<string, string, string, string, string?, string?, string?> add, Func<string, string, string> fact)
    {
        switch (root?.Signal)
        {
            case "cuda_device_assert":
                add(Priority.High, "code", "check label and index ranges (labels < num_classes, token ids < vocab size); rerun with synchronous launches to get the failing line", "1 h", "CUDA_LAUNCH_BLOCKING=1", null, null);
                break;
            case "cuda_illegal_memory_access":
                // CUDA reports an illegal access at a later API call, so the traceback rarely names the kernel that made it.
                add(Priority.High, "env", "rerun the failing step with synchronous kernel launches (or under compute-sanitizer) so the error is raised at the kernel that made the illegal access, then fix or report that kernel", "1 h", "CUDA_LAUNCH_BLOCKING=1", "CUDA reports the fault asynchronously: the stack trace points at a later call", null);
                break;
            case "segfault_in_libnccl":
                add(Priority.High, "config", "make sure one NCCL is loaded: the one bundled with PyTorch vs a system libnccl in LD_LIBRARY_PATH (python -c 'import torch; print(torch.cuda.nccl.version())'); upgrade NCCL", "1 h", null, null, null);
                add(Priority.Medium, "env", "enable core dumps and NCCL detail to report the crash", "10 min", "NCCL_DEBUG=INFO", "and ulimit -c unlimited", null);
                break;
            case "nccl_duplicate_gpu":
                DeviceMapping(add, fact);
                break;
            case "nccl_invalid_usage":
                add(Priority.High, "env", "undo the NCCL setting named in the warning (an algorithm/protocol the collective or platform does not support)", "10 min", null, null, null);
                break;
            default:
                add(Priority.High, "code", root?.Facts.ContainsKey("code_location") == true ? $"fix the {fact("type", "exception")} raised at {fact("code_location", "")}" : "fix the exception in the training code (see the traceback)", "1 h", null, fact("message", string.Empty), root?.Facts.ContainsKey("code_location") == true ? fact("code_location", "") : null);
                break;
        }
    }

    /// <summary>The host of an NCCL line when it is a Docker container id (12 hex digits, Docker's short id), else null.</summary>
    private static string? ContainerId(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon == 12 && !line.AsSpan(0, 12).ContainsAnyExcept(LowerHex) ? line[..12] : null;
    }
}
