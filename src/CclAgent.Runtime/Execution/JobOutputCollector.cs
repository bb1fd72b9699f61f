using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CclAgent.Core.Statistics;
using CclAgent.Nccl.NcclTests;

namespace CclAgent.Runtime.Execution;

/// <summary>
/// Reads a job's output line by line as it arrives and keeps only what the tuner needs: iteration times
/// from <c>CCL_METRICS {json}</c> lines, from a configured regex, or from nccl-tests tables, plus the first
/// NCCL error line. Sources are not mixed: <c>CCL_METRICS</c> wins over the regex, the regex over
/// nccl-tests, so a job that prints both never counts an iteration twice. Thread-safe, because stdout and
/// stderr are read concurrently.
/// </summary>
public sealed class JobOutputCollector
{
    /// <summary>The line prefix of the metrics protocol; anything before it (e.g. a launcher's rank prefix) is ignored.</summary>
    public const string MetricsPrefix = "CCL_METRICS";

    /// <summary>Samples kept per source: a runaway job costs a bounded amount of memory.</summary>
    public const int MaxSamples = 1_000_000;

    /// <summary>Distinct extra field names kept: a job printing a new field per line must not grow us without bound.</summary>
    public const int MaxExtraMetrics = 64;

    // NCCL prints WARN lines and result names on failure; "unhandled cuda error" is its CUDA failure text.
    private static readonly string[] NcclErrorMarkers = ["NCCL WARN", "ncclSystemError", "ncclInternalError", "ncclUnhandledCudaError", "unhandled cuda error", "ncclInvalidUsage", "ncclRemoteError"];

    private readonly Lock _gate = new();
    /// <summary>The metric holding the channel count NCCL printed at init (the largest NN of "Channel xx/NN").</summary>
    public const string ChannelsMetric = "nccl_channels";

    private const string ChannelMarker = "NCCL INFO Channel ";

    private readonly Regex? _iterationRegex;
    private readonly NcclTestsParser _ncclTests = new();
    private readonly List<double> _protocolMs = [];
    private readonly List<double> _regexMs = [];
    private readonly Dictionary<string, List<double>> _extra = new(StringComparer.Ordinal);
    private string? _ncclErrorLine;
    private string? _protocolProblem;
    private string? _regexProblem;
    private int _protocolLines;
    private int _regexLines;
    private int _channels;

    public JobOutputCollector(Regex? iterationRegex = null)
    {
        _iterationRegex = iterationRegex;
    }

    /// <summary>Called with each accepted per-iteration time as it arrives (a supervisor measuring a running job in windows).</summary>
    public Action<double>? IterationObserved { get; init; }

    /// <summary>Lines whose <c>CCL_METRICS</c> payload was not valid JSON with a numeric <c>iteration_ms</c>.</summary>
    public int MalformedMetricsLines { get; private set; }

    public void AddStdoutLine(string line) => Add(line, stdout: true);

    /// <summary>
    /// stderr lines are scanned for NCCL errors and metrics alike, but are not fed to the nccl-tests parser:
    /// tables go to stdout, and warnings interleaved into a table would only be counted as skipped lines.
    /// </summary>
    public void AddStderrLine(string line) => Add(line, stdout: false);

    /// <summary>The metrics, with the first <paramref name="warmupIterations"/> iterations of a per-iteration source dropped.</summary>
    public JobOutputSummary Complete(int warmupIterations)
    {
        lock (_gate)
        {
            NcclTestsReport report = _ncclTests.Complete();
            string? corruption = Corruption(report);
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (_channels > 0)
            {
                metrics[ChannelsMetric] = _channels;
            }
            if (_protocolMs.Count > 0)
            {
                foreach ((string name, List<double> values) in _extra)
                {
                    double[] kept = values.Skip(warmupIterations).Order().ToArray();
                    if (kept.Length > 0)
                    {
                        metrics[name] = RobustStats.Quantile(kept, 0.5);
                    }
                }

                return new JobOutputSummary(_protocolMs.Skip(warmupIterations).ToArray(), metrics, "ccl_metrics", _ncclErrorLine, corruption, _protocolProblem);
            }

            // A source whose every sample was implausible still decides the step: it failed, it did not go silent.
            if (_protocolProblem is not null)
            {
                return new JobOutputSummary([], metrics, "ccl_metrics", _ncclErrorLine, corruption, _protocolProblem);
            }

            if (_regexMs.Count > 0 || _regexProblem is not null)
            {
                return new JobOutputSummary(_regexMs.Skip(warmupIterations).ToArray(), metrics, "regex", _ncclErrorLine, corruption, _regexProblem);
            }

            // nccl-tests warms up inside the binary (-w), and each row is already an average over -n
            // iterations, so nothing is dropped. The largest size's time is the proxy, and every row at that
            // size is a sample: one per table, or one per cycle when -N repeats the sweep inside the table.
            var samples = new List<double>();
            var busbw = new List<double>();
            string? tableProblem = report.InvalidValues.Count > 0 ? $"nccl-tests output {report.InvalidValues[0]}" : null;
            foreach (NcclTestsCollective table in report.Collectives)
            {
                long largest = table.Rows.Count == 0 ? 0 : table.Rows.Max(r => r.Size);
                foreach (NcclTestsRow row in table.Rows)
                {
                    if (row.Size == largest && samples.Count < MaxSamples && (row.OutOfPlace.TimeUs ?? row.InPlace.TimeUs) is double us)
                    {
                        if (MeasurementBounds.IsPlausibleCollectiveUs(us))
                        {
                            samples.Add(us / 1000.0);
                        }
                        else
                        {
                            tableProblem ??= $"nccl-tests row of size {row.Size} ({table.Name ?? "collective"}): time {MeasurementBounds.Format(us)} us is not a plausible time (it must be finite and between {MeasurementBounds.Format(MeasurementBounds.MinCollectiveUs)} and {MeasurementBounds.Format(MeasurementBounds.MaxCollectiveUs)} us)";
                        }
                    }
                }

                if ((table.ReportedAvgBusBandwidth ?? table.AvgBusBandwidth) is double bw)
                {
                    if (MeasurementBounds.IsPlausibleBandwidthGbps(bw))
                    {
                        busbw.Add(bw);
                    }
                    else
                    {
                        tableProblem ??= $"nccl-tests {table.Name ?? "collective"}: bus bandwidth {MeasurementBounds.Format(bw)} GB/s is not plausible (it must be finite and between 0 and {MeasurementBounds.Format(MeasurementBounds.MaxBandwidthGbps)})";
                    }
                }
            }

            if (busbw.Count > 0)
            {
                metrics["busbw_gbps"] = busbw.Average();
            }

            return new JobOutputSummary(samples, metrics, samples.Count > 0 || tableProblem is not null ? "nccl_tests" : null, _ncclErrorLine, corruption, tableProblem);
        }
    }

    /// <summary>NN of NCCL's init line "NCCL INFO Channel xx/NN : …" (printed with NCCL_DEBUG=INFO); null for any other line.</summary>
    private static int? ChannelCount(string line)
    {
        int at = line.IndexOf(ChannelMarker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        ReadOnlySpan<char> rest = line.AsSpan(at + ChannelMarker.Length);
        int slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return null;
        }

        ReadOnlySpan<char> total = rest[(slash + 1)..];
        int end = 0;
        while (end < total.Length && char.IsAsciiDigit(total[end]))
        {
            end++;
        }

        return end > 0 && int.TryParse(total[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n is > 0 and <= 64 ? n : null;
    }

    private void Add(string line, bool stdout)
    {
        lock (_gate)
        {
            if (_ncclErrorLine is null && NcclErrorMarkers.Any(m => line.Contains(m, StringComparison.Ordinal)))
            {
                _ncclErrorLine = line.Length > 500 ? line[..500] : line;
            }

            if (ChannelCount(line) is int channels)
            {
                _channels = Math.Max(_channels, channels);
                return;
            }

            int prefix = line.IndexOf(MetricsPrefix, StringComparison.Ordinal);
            if (prefix >= 0)
            {
                AddProtocolLine(line[(prefix + MetricsPrefix.Length)..]);
                return;
            }

            if (_iterationRegex is not null && _regexMs.Count < MaxSamples && TryMatch(line) is double ms)
            {
                _regexLines++;
                if (MeasurementBounds.IsPlausibleIterationMs(ms))
                {
                    _regexMs.Add(ms);
                    IterationObserved?.Invoke(ms);
                }
                else
                {
                    _regexProblem ??= MeasurementBounds.IterationMsProblem(ms, $"iteration regex match {_regexLines}");
                }

                return;
            }

            if (stdout)
            {
                _ncclTests.AddLine(line);
            }
        }
    }

    private double? TryMatch(string line)
    {
        try
        {
            Match match = _iterationRegex!.Match(line);
            return match.Success && double.TryParse(match.Groups["ms"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) ? ms : null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null; // a pathological line must not stall the reader; it simply is not a sample
        }
    }

    private void AddProtocolLine(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("iteration_ms", out JsonElement ms))
            {
                MalformedMetricsLines++;
                return;
            }

            _protocolLines++;
            double? value = IterationValue(ms);
            if (value is null)
            {
                MalformedMetricsLines++;
                return;
            }

            if (!MeasurementBounds.IsPlausibleIterationMs(value.Value))
            {
                // Never a sample: a negative, zero or non-finite time would become the "best" configuration.
                _protocolProblem ??= MeasurementBounds.IterationMsProblem(value.Value, $"CCL_METRICS line {_protocolLines}");
                return;
            }

            if (_protocolMs.Count >= MaxSamples)
            {
                return;
            }

            _protocolMs.Add(value.Value);
            IterationObserved?.Invoke(value.Value);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number && property.Name is not ("iteration" or "iteration_ms")
                    && property.Value.TryGetDouble(out double extra) && double.IsFinite(extra))
                {
                    if (!_extra.TryGetValue(property.Name, out List<double>? values))
                    {
                        if (_extra.Count >= MaxExtraMetrics)
                        {
                            continue;
                        }

                        values = [];
                        _extra[property.Name] = values;
                    }

                    values.Add(extra);
                }
            }
        }
        catch (JsonException)
        {
            MalformedMetricsLines++;
        }
    }

    /// <summary>
    /// The <c>iteration_ms</c> value as a double: a JSON number (one too large for a double, e.g. 1e400, reads
    /// as infinity) or a string spelling a non-finite number ("NaN", "Infinity": JSON has no literal for them,
    /// so a job's serializer writes them as strings); null for anything else, which is a malformed line, as a
    /// number in quotes always was.
    /// </summary>
    private static double? IterationValue(JsonElement ms)
    {
        if (ms.ValueKind == JsonValueKind.Number)
        {
            return ms.TryGetDouble(out double number) ? number : double.PositiveInfinity;
        }

        return ms.ValueKind == JsonValueKind.String && double.TryParse(ms.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && !double.IsFinite(parsed)
            ? parsed
            : null;
    }

    /// <summary>nccl-tests' own check: a non-zero <c>#wrong</c> cell means the collective produced wrong data.</summary>
    private static string? Corruption(NcclTestsReport report)
    {
        foreach (NcclTestsCollective table in report.Collectives)
        {
            if (table.LegacyErrorColumn)
            {
                continue; // legacy files print a float error, not a count; small values are normal rounding
            }

            foreach (NcclTestsRow row in table.Rows)
            {
                if (row.OutOfPlace.Wrong > 0 || row.InPlace.Wrong > 0)
                {
                    return $"nccl-tests reports #wrong > 0 at size {row.Size} ({table.Name ?? "collective"})";
                }
            }
        }

        return null;
    }
}
