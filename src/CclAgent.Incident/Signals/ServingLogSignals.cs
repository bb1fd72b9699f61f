using System.Globalization;
using System.Text.RegularExpressions;

namespace CclAgent.Incident.Signals;

/// <summary>
/// What a model server's log says about its scheduler and engine, from vLLM's real messages: the engine-core
/// start-up wait (v1/engine/utils.py), preemption warnings (scheduler.py), the periodic stats line (metrics.py /
/// loggers.py) and nvidia-smi throttle reasons pasted into a log; SGLang's equivalents (a decode that runs out of KV
/// pool retracts requests, its "Decode batch" stats line); TGI's memory check at warmup, which names the flag to
/// lower; and what node agents log about a GPU (the NVIDIA device plugin's XidCriticalError, DCGM's clocks events).
/// Each match keeps its line for evidence.
/// </summary>
internal sealed partial class ServingLogSignals
{
    public List<SignalLine> StartupWaits { get; } = [];

    public List<SignalLine> StartupDone { get; } = [];

    public List<SignalLine> EngineInitFailed { get; } = [];

    public List<SignalLine> Preemptions { get; } = [];

    public List<SignalLine> StatsLines { get; } = [];

    public List<SignalLine> Throttle { get; } = [];

    /// <summary>SGLang retractions (a subset of <see cref="Preemptions"/>): its name for preempting on a full KV pool.</summary>
    public List<SignalLine> Retractions { get; } = [];

    /// <summary>The engine could not fit its batch in GPU memory (TGI's warmup check).</summary>
    public List<SignalLine> MemoryErrors { get; } = [];

    /// <summary>Xids a node agent reported (the device plugin's NVML XidCriticalError events), with the line.</summary>
    public List<(int Code, string? Device, SignalLine Line)> ReportedXids { get; } = [];

    /// <summary>vLLM's running total in its preemption warning (total_num_cumulative_preemption=N): the true count when only a few warnings were kept.</summary>
    public int? LoggedCumulativePreemptions { get; private set; }

    /// <summary>
    /// Preemption events, one per scheduler decision: SGLang prints the same retraction once per tensor-parallel rank
    /// ("[… TP5] Decode out of memory happened"), so lines that differ only in the rank count once.
    /// </summary>
    public int PreemptionEvents => Math.Max(LoggedCumulativePreemptions ?? 0, Preemptions.Select(l => RankTag().Replace(l.Text, string.Empty)).Distinct(StringComparer.Ordinal).Count());

    /// <summary>Config knobs an error message says to lower ("You need to decrease `--max-batch-prefill-tokens`"), as config keys.</summary>
    public List<string> KnobsToLower { get; } = [];

    public double? MaxLoggedKvUsage { get; private set; }

    public int? MaxLoggedWaiting { get; private set; }

    public int? LastLoggedRunning { get; private set; }

    public void Inspect(SignalLine line)
    {
        string text = line.Text;
        if (EngineWait().IsMatch(text))
        {
            StartupWaits.Add(line);
        }
        else if (StartupComplete().IsMatch(text))
        {
            StartupDone.Add(line);
        }
        else if (text.Contains("Engine core initialization failed", StringComparison.Ordinal))
        {
            EngineInitFailed.Add(line);
        }

        if (Preempted().IsMatch(text))
        {
            Preemptions.Add(line);
            if (Cumulative().Match(text) is { Success: true } total)
            {
                LoggedCumulativePreemptions = Math.Max(LoggedCumulativePreemptions ?? 0, int.Parse(total.Groups["n"].Value, CultureInfo.InvariantCulture));
            }
        }
        else if (Retracted().IsMatch(text))
        {
            Preemptions.Add(line);
            Retractions.Add(line);
        }

        if (NotEnoughMemory().IsMatch(text))
        {
            MemoryErrors.Add(line);
        }

        foreach (Match knob in LowerFlag().Matches(text))
        {
            string key = knob.Groups["flag"].Value.Replace('-', '_');
            if (!KnobsToLower.Contains(key, StringComparer.Ordinal))
            {
                KnobsToLower.Add(key);
            }
        }

        if (AgentXid().Match(text) is { Success: true } xid)
        {
            ReportedXids.Add((int.Parse(xid.Groups["code"].Value, CultureInfo.InvariantCulture), xid.Groups["device"].Success ? xid.Groups["device"].Value : null, line));
        }

        if (ThrottleActive().IsMatch(text))
        {
            Throttle.Add(line);
        }

        Match sglang = TokenUsage().Match(text);
        if (sglang.Success)
        {
            // SGLang's scheduler line: "token usage" is the KV pool's used share (0-1), "#queue-req" its waiting queue.
            StatsLines.Add(line);
            MaxLoggedKvUsage = Math.Max(MaxLoggedKvUsage ?? 0, double.Parse(sglang.Groups["usage"].Value, CultureInfo.InvariantCulture));
            if (SglangRunning().Match(text) is { Success: true } r)
            {
                LastLoggedRunning = int.Parse(r.Groups["n"].Value, CultureInfo.InvariantCulture);
            }

            if (SglangQueue().Match(text) is { Success: true } q)
            {
                MaxLoggedWaiting = Math.Max(MaxLoggedWaiting ?? 0, int.Parse(q.Groups["n"].Value, CultureInfo.InvariantCulture));
            }
        }

        Match stats = KvUsage().Match(text);
        if (stats.Success)
        {
            StatsLines.Add(line);
            double usage = double.Parse(stats.Groups["kv"].Value, CultureInfo.InvariantCulture) / 100;
            MaxLoggedKvUsage = Math.Max(MaxLoggedKvUsage ?? 0, usage);
            if (Queue().Match(text) is { Success: true } q)
            {
                MaxLoggedWaiting = Math.Max(MaxLoggedWaiting ?? 0, int.Parse(q.Groups["waiting"].Value, CultureInfo.InvariantCulture));
                LastLoggedRunning = int.Parse(q.Groups["running"].Value, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>The engine core never reported ready: repeated waits and no later start-up line.</summary>
    public bool StartupHung =>
        (StartupWaits.Count >= 2 && (StartupDone.Count == 0 || StartupDone[^1].Order < StartupWaits[^1].Order)) || EngineInitFailed.Count > 0;

    [GeneratedRegex(@"Waiting for \d+ local, \d+ remote core engine proc\(s\) to (start|connect)", RegexOptions.CultureInvariant)]
    private static partial Regex EngineWait();

    [GeneratedRegex(@"Application startup complete|Uvicorn running on|Starting vLLM API server", RegexOptions.CultureInvariant)]
    private static partial Regex StartupComplete();

    [GeneratedRegex(@"is preempted by PreemptionMode|Preempting request|preempted because there is not enough KV cache", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Preempted();

    [GeneratedRegex(@"(HW Slowdown|HW Thermal Slowdown|SW Thermal Slowdown|HW Power Brake Slowdown|SW Power Cap(ping)?)\s*:\s*Active|clocks_(throttle|event)_reasons\.(hw_slowdown|hw_thermal_slowdown|sw_thermal_slowdown|hw_power_brake_slowdown|sw_power_cap)\s*[:=,]\s*Active|Detected clocks event due to (thermal|power) violation in GPU \d+|DCGM_FR_CLOCK(S_EVENT|_THROTTLE)_(THERMAL|POWER)", RegexOptions.CultureInvariant)]
    private static partial Regex ThrottleActive();

    [GeneratedRegex(@"total_num_cumulative_preemption=(?<n>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Cumulative();

    [GeneratedRegex(@"\bTP\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex RankTag();

    [GeneratedRegex(@"Decode out of memory happened\. #retracted_reqs: \d+", RegexOptions.CultureInvariant)]
    private static partial Regex Retracted();

    [GeneratedRegex(@"Not enough memory to handle \d+ (prefill|total) tokens", RegexOptions.CultureInvariant)]
    private static partial Regex NotEnoughMemory();

    [GeneratedRegex(@"\b(decrease|lower|reduce)\s+`?--(?<flag>[a-z][a-z0-9-]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LowerFlag();

    [GeneratedRegex(@"XidCriticalError: Xid=(?<code>\d+)(?: on Device=(?<device>[^\s,;]+))?", RegexOptions.CultureInvariant)]
    private static partial Regex AgentXid();

    [GeneratedRegex(@"\btoken usage: (?<usage>[01](\.\d+)?),", RegexOptions.CultureInvariant)]
    private static partial Regex TokenUsage();

    [GeneratedRegex(@"#running-req: (?<n>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SglangRunning();

    [GeneratedRegex(@"#queue-req: (?<n>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SglangQueue();

    [GeneratedRegex(@"GPU KV cache usage: (?<kv>\d+(\.\d+)?)%", RegexOptions.CultureInvariant)]
    private static partial Regex KvUsage();

    [GeneratedRegex(@"Running: (?<running>\d+) reqs,.*?(Pending|Waiting): (?<waiting>\d+) reqs", RegexOptions.CultureInvariant)]
    private static partial Regex Queue();
}
