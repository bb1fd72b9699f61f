using System.Globalization;
using System.Text.RegularExpressions;
using CclAgent.Diagnosis.Evidence;

namespace CclAgent.Diagnosis.Matchers;

/// <summary>
/// The indirect evidence of a P2P hang that people paste next to a log that shows no error: CUDA's
/// p2pBandwidthLatencyTest with peer writes far slower than plain copies (the P2P=Enabled matrix against the
/// P2P=Disabled one: peer traffic detoured through the IOMMU), <c>nvidia-smi topo -m</c> with GPUs joined only through
/// PCIe or the host, <c>lspci -vvv</c> with ACS redirection on (<c>ACSCtl: SrcValid+ … ReqRedir+</c>), and RCCL's
/// <c>Missing "iommu=pt" from kernel command line</c>. Only the bandwidth collapse is a failure by itself; the rest is
/// context the classifier weighs against a hang. Matrix rows carry no keyword, so while a matrix is being read this
/// matcher asks for every line (<see cref="Listening"/>).
/// </summary>
internal sealed partial class P2pProbeMatcher() : LineMatcher("Bandwidth Matrix", "CPU Affinity", "ACSCtl", "iommu=pt")
{
    private const double CollapseRatio = 0.5;
    private readonly List<double> _disabled = [];
    private readonly List<double> _enabled = [];
    private List<double>? _reading;
    private (long Line, long? Step, string Text)? _enabledHeader;
    private bool _readingTopology;
    private int _topologyGpus;
    private bool _topologyReported;
    private bool _acsReported;

    /// <summary>True while the rows of a bandwidth matrix or a topology table are expected.</summary>
    public bool Listening => _reading is not null || _readingTopology;

    public override bool TryMatch(string line, LineContext context, EvidenceSink sink)
    {
        if (Listening && ReadRow(line, context, sink))
        {
            return true;
        }

        if (MatrixHeader().Match(line) is { Success: true } header)
        {
            StartMatrix(header, line, context);
            return true;
        }

        if (line.Contains("CPU Affinity", StringComparison.Ordinal) && line.Contains("GPU0", StringComparison.Ordinal))
        {
            _topologyGpus = GpuColumn().Count(line);
            _readingTopology = _topologyGpus > 1;
            return true;
        }

        return TryConfiguration(line, context, sink);
    }

    private bool TryConfiguration(string line, LineContext context, EvidenceSink sink)
    {
        Match acs = AcsRedirect().Match(line);
        if (acs.Success)
        {
            if (!_acsReported)
            {
                _acsReported = true;
                sink.Add(Signals.AcsEnabled, context, line);
            }

            return true;
        }

        if (line.Contains("Missing \"iommu=pt\"", StringComparison.Ordinal))
        {
            sink.Add(Signals.IommuNotPassthrough, context, line);
            return true;
        }

        return false;
    }

    private void StartMatrix(Match header, string line, LineContext context)
    {
        bool enabled = header.Groups["p2p"].Value == "Enabled";
        _reading = enabled ? _enabled : _disabled;
        _reading.Clear();
        if (enabled)
        {
            _enabledHeader = (context.Line, context.Step, line);
        }
    }

    /// <summary>A row of the table being read; any other line ends the table (and is matched normally).</summary>
    private bool ReadRow(string line, LineContext context, EvidenceSink sink)
    {
        if (_readingTopology)
        {
            Match row = TopologyRow().Match(line);
            if (!row.Success)
            {
                _readingTopology = false;
                return false;
            }

            // Only the GPU columns: the columns after them are NICs, where PCIe links are normal.
            string[] gpuLinks = row.Groups["links"].Value.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(_topologyGpus).ToArray();
            if (!_topologyReported && gpuLinks.Any(l => PcieLink().IsMatch(l)))
            {
                _topologyReported = true;
                sink.Add(Signals.GpuPciePath, context, line, new Dictionary<string, string> { ["gpu"] = row.Groups["gpu"].Value, ["links"] = string.Join(" ", gpuLinks) });
            }

            return true;
        }

        Match values = MatrixRow().Match(line);
        if (values.Success || line.Contains("D\\D", StringComparison.Ordinal))
        {
            AddOffDiagonal(values);
            return true;
        }

        bool enabled = ReferenceEquals(_reading, _enabled);
        _reading = null;
        if (enabled)
        {
            JudgeBandwidth(context, sink);
        }

        return false;
    }

    private void AddOffDiagonal(Match values)
    {
        if (!values.Success)
        {
            return;
        }

        int row = int.Parse(values.Groups["row"].Value, CultureInfo.InvariantCulture);
        CaptureCollection cells = values.Groups["value"].Captures;
        for (int column = 0; column < cells.Count; column++)
        {
            if (column != row && double.TryParse(cells[column].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double gbps))
            {
                _reading!.Add(gbps);
            }
        }
    }

    /// <summary>Peer writes at under half the bandwidth of staged copies: P2P works in name only.</summary>
    private void JudgeBandwidth(LineContext context, EvidenceSink sink)
    {
        if (_disabled.Count == 0 || _enabled.Count == 0 || _enabledHeader is not { } header)
        {
            return;
        }

        double disabled = Median(_disabled);
        double enabled = Median(_enabled);
        if (enabled < CollapseRatio * disabled)
        {
            var at = new LineContext(context.Source, context.SourceIndex) { Line = header.Line, Step = header.Step };
            sink.Add(Signals.P2pBandwidthCollapse, at, header.Text, new Dictionary<string, string>
            {
                ["p2p_enabled_gbps"] = enabled.ToString("0.##", CultureInfo.InvariantCulture),
                ["p2p_disabled_gbps"] = disabled.ToString("0.##", CultureInfo.InvariantCulture),
            });
        }
    }

    public override void Complete(LineContext context, EvidenceSink sink)
    {
        if (ReferenceEquals(_reading, _enabled))
        {
            _reading = null;
            JudgeBandwidth(context, sink);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    [GeneratedRegex(@"^\s*Unidirectional P2P=(?<p2p>Enabled|Disabled) Bandwidth(?: \(P2P Writes\))? Matrix \(GB/s\)")]
    private static partial Regex MatrixHeader();

    [GeneratedRegex(@"^\s*(?<row>\d+)(?:\s+(?<value>\d+(?:\.\d+)?))+\s*$")]
    private static partial Regex MatrixRow();

    [GeneratedRegex(@"^\s*(?<gpu>GPU\d+)\s+(?<links>(?:(?:X|NV\d+|PIX|PXB|PHB|NODE|SYS|SOC)\s+)+)")]
    private static partial Regex TopologyRow();

    [GeneratedRegex(@"^(?:PIX|PXB|PHB|NODE|SYS|SOC)$")]
    private static partial Regex PcieLink();

    [GeneratedRegex(@"\bGPU\d+\b")]
    private static partial Regex GpuColumn();

    [GeneratedRegex(@"ACSCtl:.*?\b(?:SrcValid|ReqRedir|CmpltRedir)\+")]
    private static partial Regex AcsRedirect();
}
