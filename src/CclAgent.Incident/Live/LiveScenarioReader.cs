using System.Globalization;
using System.Text.Json.Nodes;
using CclAgent.Incident.Scenarios;

namespace CclAgent.Incident.Live;

/// <summary>
/// This host as a scenario: kernel log and journal (when readable), nvidia-smi's CSV query (when present), a
/// Prometheus endpoint and a config file. Every absent source stays null, so its tool answers no_data.
/// </summary>
internal static class LiveScenarioReader
{
    private const string GpuQuery = "index,utilization.gpu,utilization.memory,memory.used,memory.total,power.draw,power.limit,temperature.gpu,clocks.sm,clocks.max.sm,clocks_throttle_reasons.active";

    // nvml.h clocks throttle reason bits (nvmlClocksThrottleReason*); idle and application clocks are not faults.
    private static readonly (ulong Bit, string Name)[] ThrottleBits =
    [
        (0x4, "sw_power_cap"), (0x8, "hw_slowdown"), (0x20, "sw_thermal_slowdown"), (0x40, "hw_thermal_slowdown"), (0x80, "hw_power_brake_slowdown"),
    ];

    /// <summary>The scenario and how many sources could be read (0 means nothing: exit code 3).</summary>
    public static async Task<(Scenario Scenario, int Readable)> ReadAsync(LiveSources sources, IHostProbe probe, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(http);
        string? dmesg = await probe.RunAsync("dmesg", ["--ctime"], cancellationToken);
        string? journal = await probe.RunAsync("journalctl", ["-k", "-n", "2000", "--no-pager"], cancellationToken);
        string? smi = await probe.RunAsync("nvidia-smi", [$"--query-gpu={GpuQuery}", "--format=csv,noheader,nounits"], cancellationToken);
        string? metrics = await Metrics(sources.MetricsUrl, http, cancellationToken);
        JsonObject? config = sources.ServiceConfig is string path && File.Exists(path) ? ScenarioReader.ReadJsonFile(path, ScenarioSchema.Config) : null;
        string? log = sources.ServiceLog is string logPath && File.Exists(logPath) ? await File.ReadAllTextAsync(logPath, cancellationToken) : null;
        var scenario = new Scenario
        {
            Directory = "live",
            Meta = new JsonObject { ["name"] = "live", ["description"] = "read from this host", ["service"] = "other" },
            DmesgLog = dmesg,
            JournalLog = journal,
            Gpus = smi is null ? null : Gpus(smi),
            MetricsText = metrics,
            MetricsSource = sources.MetricsUrl?.ToString() ?? "metrics.prom",
            Config = config,
            ServiceLog = log,
        };
        int readable = new object?[] { dmesg, journal, smi, metrics, config, log }.Count(x => x is not null);
        return (scenario, readable);
    }

    private static async Task<string?> Metrics(Uri? url, HttpClient http, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return null;
        }

        try
        {
            using HttpResponseMessage response = await http.GetAsync(url, cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    internal static JsonObject Gpus(string csv)
    {
        var gpus = new JsonArray();
        foreach (string line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] f = line.Split(',', StringSplitOptions.TrimEntries);
            if (f.Length < 11)
            {
                continue;
            }

            var gpu = new JsonObject();
            Put(gpu, "id", f[0], 1, integer: true);
            Put(gpu, "util", f[1], 0.01);
            Put(gpu, "mem_util", f[2], 0.01);
            Put(gpu, "mem_used_gb", f[3], 1.0 / 1024);
            Put(gpu, "mem_total_gb", f[4], 1.0 / 1024);
            Put(gpu, "power_w", f[5], 1);
            Put(gpu, "power_limit_w", f[6], 1);
            Put(gpu, "temp_c", f[7], 1);
            Put(gpu, "sm_clock_mhz", f[8], 1);
            Put(gpu, "max_sm_clock_mhz", f[9], 1);
            if (ulong.TryParse(f[10].Replace("0x", string.Empty, StringComparison.OrdinalIgnoreCase), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong mask))
            {
                gpu["clocks_throttle_reasons"] = new JsonArray(ThrottleBits.Where(b => (mask & b.Bit) != 0).Select(b => (JsonNode)b.Name).ToArray());
            }

            gpus.Add(gpu);
        }

        return new JsonObject { ["gpus"] = gpus };
    }

    private static void Put(JsonObject gpu, string name, string text, double scale, bool integer = false)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            gpu[name] = integer ? (JsonNode)(long)v : Math.Round(v * scale, 3);
        }
    }
}
