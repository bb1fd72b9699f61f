using System.Text.RegularExpressions;
using CclAgent.Core.Secrets;
using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Hardware;
using CclAgent.Incident.Signals;
using static CclAgent.Incident.Classification.IncidentClassifier;

namespace CclAgent.Incident.Classification;

/// <summary>
/// The serving engine's own failure states, each keyed on signals vLLM really emits (docs/incident.md lists
/// them with sources). A rule fires only on its own evidence; thresholds are documented there too.
/// </summary>
internal static partial class ServingRules
{
    /// <summary>vLLM's scheduler preempts when the KV cache is (nearly) full: recompute costs a second prefill.</summary>
    private const double KvFull = 0.9;

    /// <summary>Running at or above this share of max_num_seqs means the batch limit binds.</summary>
    private const double SeqLimitBinds = 0.9;

    private const double HotGpuC = 87;

    /// <summary>
    /// An Xid a node agent reported (the NVIDIA device plugin logs NVML's XidCriticalError events and marks the GPU
    /// unhealthy) when the kernel log itself is not in the scenario: the same fault as an NVRM Xid line, read from the
    /// Xid catalog diagnose uses, so 48/94-style memory errors stay ecc_uncorrectable.
    /// </summary>
    public static IncidentDiagnosis? ReportedXid(Observations o)
    {
        if (o.Serving.ReportedXids.Count == 0)
        {
            return null;
        }

        (int code, string? device, SignalLine first) = o.Serving.ReportedXids[0];
        XidEntry entry = XidCatalog.Lookup(code);
        var evidence = o.Serving.ReportedXids.Select(x => x.Line).DistinctBy(l => l.Text).Take(3).Select(Line).ToList();
        evidence.AddRange(o.ServiceLines.Concat(o.SystemLines).Where(l => l.Text.Contains("marked unhealthy", StringComparison.Ordinal)).Take(1).Select(Line));
        string on = device is null ? string.Empty : $" on {device}";
        return new IncidentDiagnosis
        {
            Category = entry.Category == FailureCategory.EccUncorrectable ? FailureCategory.EccUncorrectable : FailureCategory.GpuXid,
            RootCause = $"NVIDIA Xid {code} ({entry.Meaning}){on}, reported by the GPU health check (NVML XidCriticalError); the device was marked unhealthy. NVIDIA resolution {entry.NvidiaResolution}: {entry.Action}",
            Confidence = Math.Round(Math.Max(0.6, entry.Weight), 2),
            Evidence = evidence,
        };
    }

    /// <summary>
    /// A task in uninterruptible sleep that the kernel reported with its stack (<c>task:NAME state:D</c>) when diagnose's
    /// hung-task headline is not in the excerpt: the node, not the job, is stuck.
    /// </summary>
    public static IncidentDiagnosis? StuckKernelTask(Observations o)
    {
        if (o.Kernel.StuckTasks.Count == 0)
        {
            return null;
        }

        var diagnosis = new IncidentDiagnosis
        {
            Category = FailureCategory.HungTask,
            RootCause = "a task is stuck in uninterruptible sleep (state:D) inside the kernel: the process cannot make progress or be killed until the kernel path it waits on returns",
            Confidence = 0.75,
            Evidence = o.Kernel.StuckTasks.Take(2).Select(Line).ToList(),
        };
        return WithModuleFrames(diagnosis, o);
    }

    /// <summary>
    /// A hung task or soft lockup names the kernel module it is stuck in through its call trace; that module (a GPU
    /// driver, a file system) says where the repair is, so it goes into the root cause and the evidence.
    /// </summary>
    public static IncidentDiagnosis WithModuleFrames(IncidentDiagnosis diagnosis, Observations o)
    {
        if (o.Kernel.ModuleFrames.Count == 0 || diagnosis.Category is not (FailureCategory.HungTask or FailureCategory.CpuSoftLockup))
        {
            return diagnosis;
        }

        string modules = string.Join(", ", o.Kernel.ModuleFrames.Select(f => f.Module));
        return diagnosis with
        {
            RootCause = $"{diagnosis.RootCause} (call trace in module {modules})",
            Evidence = [.. diagnosis.Evidence, .. o.Kernel.ModuleFrames.Take(2).Select(f => Line(f.Line)).Where(l => !diagnosis.Evidence.Contains(l))],
        };
    }

    /// <summary>
    /// A collective that timed out says only that some rank stopped arriving; the job's last own line before the first
    /// timeout ("Saving checkpoint…", "Evaluating the results…") says what it was doing, often the answer (one rank
    /// evaluating or saving while the others wait). Lines that carried a secret (masked) are config echoes, not activity.
    /// </summary>
    public static IncidentDiagnosis WithLastActivity(IncidentDiagnosis diagnosis, Observations o)
    {
        if (diagnosis.Category != FailureCategory.NcclTimeout)
        {
            return diagnosis;
        }

        int first = o.ServiceLines.FindIndex(l => CollectiveTimeout().IsMatch(l.Text));
        SignalLine? last = first <= 0 ? null : o.ServiceLines.Take(first).LastOrDefault(l =>
            !string.IsNullOrWhiteSpace(l.Text) && !l.Text.Contains(SecretRedactor.Mask, StringComparison.Ordinal) && !NcclOrFrame().IsMatch(l.Text));
        if (last is null)
        {
            return diagnosis;
        }

        return diagnosis with
        {
            RootCause = $"{diagnosis.RootCause}; the job's last line before the stall: \"{last.Text.Trim()}\" (a rank busy there while the others wait in the collective past its timeout)",
            Evidence = [.. diagnosis.Evidence, Line(last)],
        };
    }

    [GeneratedRegex(@"Watchdog caught collective operation timeout|watchdog got stuck|Timeout at NCCL work", RegexOptions.CultureInvariant)]
    private static partial Regex CollectiveTimeout();

    [GeneratedRegex(@"ProcessGroupNCCL|NCCL (INFO|WARN)|^\s*(frame #\d+|File "")|Traceback|^\s*\^", RegexOptions.CultureInvariant)]
    private static partial Regex NcclOrFrame();

    /// <summary>
    /// The serving engine itself reports that its batch does not fit in GPU memory (TGI's warmup: "Not enough memory to
    /// handle N prefill tokens. You need to decrease `--max-batch-prefill-tokens`"): a CUDA OOM by another name.
    /// </summary>
    public static IncidentDiagnosis? ServerOutOfMemory(Observations o)
    {
        if (o.Serving.MemoryErrors.Count == 0)
        {
            return null;
        }

        string? knob = o.Serving.KnobsToLower.FirstOrDefault(k => o.TargetOf(k) is not null) ?? o.Serving.KnobsToLower.FirstOrDefault();
        string lower = knob is null ? string.Empty : $"; the engine says to lower {knob}";
        return new IncidentDiagnosis
        {
            Category = FailureCategory.CudaOom,
            RootCause = $"GPU out of memory in the serving engine: not enough memory for the batch it is configured to hold next to the weights{lower}",
            Confidence = 0.85,
            Evidence = o.Serving.MemoryErrors.DistinctBy(l => l.Text).Take(3).Select(Line).ToList(),
        };
    }

    public static IncidentDiagnosis? StartupHang(Observations o)
    {
        ServingLogSignals s = o.Serving;
        if (!s.StartupHung)
        {
            return null;
        }

        var evidence = s.EngineInitFailed.Concat(s.StartupWaits.Take(2)).Concat(s.StartupWaits.Skip(2).TakeLast(1)).Select(Line).ToList();
        string what = s.EngineInitFailed.Count > 0
            ? "the engine core process failed during initialization"
            : $"the engine core never reported ready: {s.StartupWaits.Count} \"Waiting for … core engine proc(s) to start\" lines and no start-up completion";
        return new IncidentDiagnosis
        {
            Category = IncidentCategory.EngineStartupHang,
            RootCause = $"vLLM engine start-up hang: {what}; the API server waits on the engine-core handshake (model load, compile or device init is stuck)",
            Confidence = s.StartupWaits.Count >= 3 || s.EngineInitFailed.Count > 0 ? 0.8 : 0.6,
            Evidence = evidence,
        };
    }

    public static IncidentDiagnosis? KvCache(Observations o)
    {
        double? kv = o.KvUsage;
        double preemptions = o.Preemptions;
        bool preempting = preemptions > 0 && (kv is null || kv >= KvFull - 0.05);
        bool fullWithBacklog = kv >= 0.97 && o.Waiting > 0;
        if (!preempting && !fullWithBacklog)
        {
            return null;
        }

        var evidence = o.Serving.Preemptions.Take(3).Select(Line).ToList();
        if (kv is double usage)
        {
            evidence.Add(new EvidenceLine(o.Derived("kv_cache_usage") is null ? "logs/service.log" : "metrics.prom", null, $"KV cache usage {Percent(usage)}"));
        }

        if (o.Derived("preemptions_total") is double total && total > 0)
        {
            evidence.Add(new EvidenceLine("metrics.prom", null, $"vllm:num_preemptions_total {Num(total)}"));
        }

        string usageText = kv is double u ? $"KV cache {Percent(u)} full" : "KV cache full";
        string memory = o.KeyOf(ServingKnobs.MemoryFraction) ?? "gpu_memory_utilization";
        string seqs = o.KeyOf(ServingKnobs.MaxSequences) ?? "max_num_seqs";
        string what = o.Serving.Retractions.Count > 0
            ? $"{Num(preemptions)} decode(s) ran out of KV pool and retracted running requests"
            : $"{Num(preemptions)} preemption(s)";
        return new IncidentDiagnosis
        {
            Category = IncidentCategory.KvCacheExhaustion,
            RootCause = $"KV-cache exhaustion: {usageText}, {what}; preempted (retracted) requests are recomputed, adding prefill time and latency (more KV memory is needed: {memory}, fewer concurrent sequences ({seqs}), or tensor parallelism)",
            Confidence = preempting && kv is not null ? 0.85 : 0.65,
            Evidence = evidence,
        };
    }

    public static IncidentDiagnosis? Throttling(Observations o)
    {
        var evidence = o.Serving.Throttle.Take(3).Select(Line).ToList();
        foreach (var gpu in o.GpuList)
        {
            string id = gpu["id"]?.ToString() ?? "?";
            var reasons = (gpu["clocks_throttle_reasons"] as System.Text.Json.Nodes.JsonArray)?.Select(r => r?.ToString() ?? string.Empty)
                .Where(r => r.Contains("thermal", StringComparison.OrdinalIgnoreCase) || r.Contains("hw_slowdown", StringComparison.OrdinalIgnoreCase)
                    || r.Contains("power", StringComparison.OrdinalIgnoreCase))
                .ToList() ?? [];
            double? temp = Num(gpu["temp_c"]);
            double? clock = Num(gpu["sm_clock_mhz"]);
            double? max = Num(gpu["max_sm_clock_mhz"]);
            bool slowClock = clock / max < 0.75 && Num(gpu["util"]) >= 0.5;
            if (reasons.Count > 0 || temp >= HotGpuC || slowClock)
            {
                string clocks = clock is double c && max is double m ? $", SM clock {Num(c)}/{Num(m)} MHz" : string.Empty;
                string temperature = temp is double t ? $", {Num(t)} C" : string.Empty;
                evidence.Add(new EvidenceLine("gpus.json", null, $"GPU {id}: throttle reasons [{string.Join(", ", reasons)}]{temperature}{clocks}"));
            }
        }

        if (evidence.Count == 0)
        {
            return null;
        }

        return new IncidentDiagnosis
        {
            Category = IncidentCategory.GpuThrottling,
            RootCause = "GPU clock throttling (thermal or power slowdown active): the GPU runs below its clocks, so every prefill and decode step is slower; cooling, power delivery or the power cap must be fixed on the node",
            Confidence = evidence.Count >= 2 ? 0.8 : 0.65,
            Evidence = evidence,
        };
    }

    public static IncidentDiagnosis? Scheduler(Observations o)
    {
        double? waiting = o.Waiting;
        double? running = o.Running;
        double? maxSeqs = o.Knob(ServingKnobs.MaxSequences);
        string seqsKey = o.KeyOf(ServingKnobs.MaxSequences) ?? "max_num_seqs";
        double? queueShare = o.Breakdown("queue_share");
        if (waiting is not > 0)
        {
            return null;
        }

        bool seqBound = running is double r && maxSeqs is double m && r >= SeqLimitBinds * m;
        bool queueDominates = queueShare >= 0.4;
        bool backlog = running is double run && waiting >= run;
        if (!seqBound && !queueDominates && !backlog)
        {
            return null;
        }

        var evidence = o.Serving.StatsLines.Where(l => !l.Text.Contains("Waiting: 0 reqs", StringComparison.Ordinal) && !l.Text.Contains("Pending: 0 reqs", StringComparison.Ordinal)).TakeLast(2).Select(Line).ToList();
        evidence.Add(new EvidenceLine("runtime.json", null, $"running {Num(running ?? 0)}, waiting {Num(waiting.Value)}{(maxSeqs is double ms ? $", {seqsKey} {Num(ms)}" : string.Empty)}"));
        if (queueShare is double share)
        {
            evidence.Add(new EvidenceLine("metrics.prom", null, $"queueing is {Percent(share)} of request time (vllm:request_queue_time_seconds)"));
        }

        string limit = seqBound ? $"the batch limit {seqsKey}={Num(maxSeqs!.Value)} is saturated" : "requests wait in the scheduler queue";
        return new IncidentDiagnosis
        {
            Category = IncidentCategory.SchedulerOverload,
            RootCause = $"scheduler overload: {limit} ({Num(running ?? 0)} running, {Num(waiting.Value)} waiting) while the KV cache has room; latency is queueing time, not GPU work",
            Confidence = seqBound && queueDominates ? 0.85 : 0.65,
            Evidence = evidence,
        };
    }
}
