using System.Globalization;
using System.Text.RegularExpressions;

namespace CclAgent.Incident.Signals;

/// <summary>
/// What a model server's log says about its scheduler and engine, from vLLM's real messages: the engine-core
/// start-up wait (v1/engine/utils.py), preemption warnings (scheduler.py), the periodic stats line (metrics.py /
/// loggers.py) and nvidia-smi throttle reasons pasted into a log. Each match keeps its line for evidence.
/// </summary>
internal sealed partial class ServingLogSignals
{
    public List<SignalLine> StartupWaits { get; } = [];

    public List<SignalLine> StartupDone { get; } = [];

    public List<SignalLine> EngineInitFailed { get; } = [];

    public List<SignalLine> Preemptions { get; } = [];

    public List<SignalLine> StatsLines { get; } = [];

    public List<SignalLine> Throttle { get; } = [];

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
        }

        if (ThrottleActive().IsMatch(text))
        {
            Throttle.Add(line);
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

    [GeneratedRegex(@"(HW Slowdown|HW Thermal Slowdown|SW Thermal Slowdown|HW Power Brake Slowdown|SW Power Cap(ping)?)\s*:\s*Active|clocks_(throttle|event)_reasons\.(hw_slowdown|hw_thermal_slowdown|sw_thermal_slowdown|hw_power_brake_slowdown|sw_power_cap)\s*[:=,]\s*Active", RegexOptions.CultureInvariant)]
    private static partial Regex ThrottleActive();

    [GeneratedRegex(@"GPU KV cache usage: (?<kv>\d+(\.\d+)?)%", RegexOptions.CultureInvariant)]
    private static partial Regex KvUsage();

    [GeneratedRegex(@"Running: (?<running>\d+) reqs,.*?(Pending|Waiting): (?<waiting>\d+) reqs", RegexOptions.CultureInvariant)]
    private static partial Regex Queue();
}
