using System.Globalization;
using System.Text;
using System.Text.Json;
using CclAgent.Nccl.Collectives;
using CclAgent.Nccl.Parameters;
using CclAgent.Simulation.CostModel;
using CclAgent.Simulation.Hardware;
using CclAgent.Simulation.Truth;

namespace CclAgent.Simulation.Calibration;

/// <summary>
/// Replays every published nccl-tests row (bench/calibration/published_nccl_tests.csv) on the simulator:
/// the row's hardware from calibration_clusters.json, NCCL's default decision plus the row's env, the
/// noise-free ground-truth time, and nccl-tests' bus bandwidth. This is how we know the dry-run is
/// physically grounded rather than self-consistent only.
/// </summary>
public static class CalibrationRunner
{
    /// <summary>Project target: bus bandwidth within ±25% for sizes ≥ 64 MiB.</summary>
    public const double BandwidthTolerance = 0.25;

    /// <summary>Project target: small-message latency within 2× for sizes ≤ 64 KiB.</summary>
    public const double LatencyFactor = 2.0;

    public const long BandwidthMinBytes = 64L * 1024 * 1024;
    public const long LatencyMaxBytes = 64L * 1024;

    /// <summary>Loads both files and simulates every row.</summary>
    public static IReadOnlyList<CalibrationResult> Run(string csvPath, string clustersJsonPath) =>
        Run(LoadPublished(csvPath), LoadCases(clustersJsonPath));

    /// <summary>Simulates every published row; a row without a mapped cluster is a data error, not a skip.</summary>
    public static IReadOnlyList<CalibrationResult> Run(IReadOnlyList<PublishedRow> published, CalibrationFile cases)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(cases);
        var byId = (cases.Rows ?? []).ToDictionary(c => c.Id ?? string.Empty, StringComparer.Ordinal);
        var results = new List<CalibrationResult>(published.Count);
        foreach (PublishedRow row in published)
        {
            if (!byId.TryGetValue(row.Id, out CalibrationCase? calibrationCase))
            {
                throw new InvalidDataException($"calibration_clusters.json has no entry for CSV row '{row.Id}'");
            }

            results.Add(Simulate(row, calibrationCase));
        }

        return results;
    }

    /// <summary>One row: NCCL's default choice (with the row's env) timed by the ground truth.</summary>
    public static CalibrationResult Simulate(PublishedRow row, CalibrationCase calibrationCase)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(calibrationCase);
        if (calibrationCase.Cluster is null || calibrationCase.Collective is null)
        {
            throw new InvalidDataException($"calibration case '{row.Id}' needs both 'cluster' and 'collective'");
        }

        var cluster = ClusterModel.From(calibrationCase.Cluster);
        var selector = new NcclSelector(cluster);
        var truth = new GroundTruthModel(cluster);
        CollectiveCall call = CollectiveCall.From(calibrationCase.Collective);
        NcclConfig config = NcclConfig.FromAssignments(calibrationCase.Env ?? new Dictionary<string, string>());

        // The published run completed, so "no algorithm" here would be a mapping error in the JSON.
        NcclDecision decision = selector.Choose(call, config)
            ?? throw new InvalidDataException($"calibration case '{row.Id}': NCCL would find no algorithm/protocol for {call.Op} with env {config.Key}");
        double timeUs = truth.CallTimeUs(call, decision, config);
        double busBw = call.Bytes / (1000.0 * timeUs) * call.BusBandwidthFactor;
        string described = string.Create(CultureInfo.InvariantCulture, $"{decision.Algorithm}/{decision.Protocol} ch{decision.Channels}");
        return new CalibrationResult(row, KindOf(row.SizeBytes), timeUs, busBw, described, calibrationCase.Exclude);
    }

    public static ToleranceKind KindOf(long bytes) =>
        bytes >= BandwidthMinBytes ? ToleranceKind.Bandwidth : bytes <= LatencyMaxBytes ? ToleranceKind.Latency : ToleranceKind.Unchecked;

    public static CalibrationFile LoadCases(string clustersJsonPath)
    {
        using FileStream stream = File.OpenRead(clustersJsonPath);
        return JsonSerializer.Deserialize(stream, CalibrationJsonContext.Default.CalibrationFile)
            ?? throw new InvalidDataException($"{clustersJsonPath} is empty");
    }

    /// <summary>Reads the published CSV (RFC 4180 quoting: several notes contain commas).</summary>
    public static IReadOnlyList<PublishedRow> LoadPublished(string csvPath)
    {
        string[] lines = File.ReadAllLines(csvPath);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{csvPath} is empty");
        }

        List<string> header = SplitCsvLine(lines[0]);
        int Col(string name) => header.IndexOf(name) is >= 0 and int index
            ? index
            : throw new InvalidDataException($"{csvPath} lacks column '{name}'");

        var rows = new List<PublishedRow>();
        foreach (string line in lines.Skip(1).Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            List<string> f = SplitCsvLine(line);
            rows.Add(new PublishedRow(
                f[Col("id")],
                f[Col("source")],
                f[Col("gpu")],
                int.Parse(f[Col("nodes")], CultureInfo.InvariantCulture),
                int.Parse(f[Col("gpus_per_node")], CultureInfo.InvariantCulture),
                f[Col("collective")],
                long.Parse(f[Col("size_bytes")], CultureInfo.InvariantCulture),
                double.Parse(f[Col("time_us")], CultureInfo.InvariantCulture),
                double.Parse(f[Col("busbw_gbps")], CultureInfo.InvariantCulture),
                f[Col("notes")]));
        }

        return rows;
    }

    /// <summary>The calibration table for docs/simulator.md: one line per row plus the error reached.</summary>
    public static string RenderMarkdown(IReadOnlyList<CalibrationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine("| Row | Size (B) | Check | Published | Simulated | Sim/Pub | Within tolerance? | NCCL choice (sim) | Source |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---|---|---|");
        foreach (CalibrationResult r in results)
        {
            bool bandwidth = r.Kind == ToleranceKind.Bandwidth;
            string published = bandwidth
                ? Format($"{r.Published.BusBwGbps:0.##} GB/s")
                : Format($"{r.Published.TimeUs:0.##} µs");
            string simulated = bandwidth ? Format($"{r.SimBusBwGbps:0.##} GB/s") : Format($"{r.SimTimeUs:0.##} µs");
            string check = r.Kind switch
            {
                ToleranceKind.Bandwidth => "busbw ±25%",
                ToleranceKind.Latency => "time ≤2×",
                _ => "—",
            };
            string verdict = r.Excluded is not null
                ? $"excluded: {r.Excluded}"
                : r.Kind == ToleranceKind.Unchecked ? "not checked" : r.WithinTolerance ? "yes" : "**NO**";
            text.AppendLine(Format(
                $"| {r.Published.Id} | {r.Published.SizeBytes} | {check} | {published} | {simulated} | {r.Ratio:0.000} | {verdict} | {r.Decision} | {SourceLink(r.Published.Source)} |"));
        }

        List<CalibrationResult> bw = results.Where(r => r.Checked && r.Kind == ToleranceKind.Bandwidth).ToList();
        List<CalibrationResult> lat = results.Where(r => r.Checked && r.Kind == ToleranceKind.Latency).ToList();
        int inside = results.Count(r => r.Checked && r.WithinTolerance);
        int checkedRows = results.Count(r => r.Checked);
        text.AppendLine();
        text.AppendLine(Format($"Checked rows within tolerance: **{inside} of {checkedRows}** ({results.Count(r => r.Excluded is not null)} excluded)."));
        if (bw.Count > 0)
        {
            CalibrationResult worst = bw.MaxBy(r => Math.Abs(r.Error))!;
            text.AppendLine(Format($"Bandwidth rows ({bw.Count}): max |error| **{Math.Abs(worst.Error):P1}** ({worst.Published.Id}); mean |error| {bw.Average(r => Math.Abs(r.Error)):P1}."));
        }

        if (lat.Count > 0)
        {
            CalibrationResult worst = lat.MaxBy(r => Math.Max(r.Ratio, 1 / r.Ratio))!;
            text.AppendLine(Format($"Latency rows ({lat.Count}): worst ratio **{worst.Ratio:0.00}×** sim/published ({worst.Published.Id}; max(ratio, 1/ratio) = {Math.Max(worst.Ratio, 1 / worst.Ratio):0.00})."));
        }

        return text.ToString();
    }

    private static string Format(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string SourceLink(string source) =>
        source.StartsWith("http", StringComparison.Ordinal) ? $"[link]({source})" : source.Replace("|", "/", StringComparison.Ordinal);

    private static List<string> SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
