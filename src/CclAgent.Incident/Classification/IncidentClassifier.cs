using System.Globalization;
using CclAgent.Diagnosis;
using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Evidence;
using CclAgent.Diagnosis.Reports;
using CclAgent.Diagnosis.Sources;
using CclAgent.Incident.Signals;
using CclAgent.Incident.Tools;

namespace CclAgent.Incident.Classification;

/// <summary>
/// Category from signals, in causal order: a dead or faulty node (Xid, ECC, OOM killer, lockups, NIC) explains
/// everything above it; then memory faults of the process; then the serving engine's own states (start-up hang,
/// KV-cache exhaustion, throttled clocks, a saturated scheduler); then whatever else diagnose's library found.
/// </summary>
internal static class IncidentClassifier
{
    private const int MaxEvidence = 6;

    public static IncidentDiagnosis Classify(Observations o, CancellationToken cancellationToken)
    {
        (DiagnosisReport report, Func<EvidenceItem, EvidenceLine> locate) = Diagnose(o, cancellationToken);
        Verdict verdict = report.Verdict;
        bool initiating = verdict.Role == CausalRole.Initiating;
        string v = verdict.Category;

        // An Xid wins whoever reports it: a node agent's XidCriticalError explains the NCCL or CUDA errors above it too.
        if (v is not (FailureCategory.GpuXid or FailureCategory.EccUncorrectable) && ServingRules.ReportedXid(o) is IncidentDiagnosis reported)
        {
            return reported;
        }

        if (v is FailureCategory.GpuXid or FailureCategory.EccUncorrectable
            || (initiating && v is FailureCategory.HostOom or FailureCategory.CpuSoftLockup or FailureCategory.HungTask or FailureCategory.CudaOom
                or FailureCategory.IbNetworkError or FailureCategory.SocketNetworkError or FailureCategory.BootstrapInterface
                or FailureCategory.P2pHang or FailureCategory.ShmExhausted))
        {
            return ServingRules.WithModuleFrames(FromVerdict(report, locate), o);
        }

        return ServingRules.StuckKernelTask(o)
            ?? ServingRules.ServerOutOfMemory(o)
            ?? ServingRules.StartupHang(o)
            ?? ServingRules.KvCache(o)
            ?? ServingRules.Throttling(o)
            ?? ServingRules.Scheduler(o)
            ?? (v != FailureCategory.Unknown ? ServingRules.WithLastActivity(FromVerdict(report, locate), o) : Unknown(o));
    }

    private static (DiagnosisReport, Func<EvidenceItem, EvidenceLine>) Diagnose(Observations o, CancellationToken cancellationToken)
    {
        var groups = o.ServiceLines.Concat(o.SystemLines).GroupBy(l => l.Source).ToList();
        var sources = groups.Select(g => LogSource.FromText(g.Key, string.Join('\n', g.Select(l => l.Text)))).ToList();
        var byName = groups.ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        DiagnosisReport report = Diagnoser.Diagnose(sources, cancellationToken: cancellationToken);
        return (report, item =>
        {
            // diagnose numbers the joined lines 1..n; the tool gave each its line in the original file.
            int? line = byName.TryGetValue(item.File, out var lines) && item.Line >= 1 && item.Line <= lines.Count ? lines[(int)item.Line - 1].Line : null;
            return new EvidenceLine(item.File, line, item.Text);
        });
    }

    private static IncidentDiagnosis FromVerdict(DiagnosisReport report, Func<EvidenceItem, EvidenceLine> locate)
    {
        Verdict verdict = report.Verdict;
        var evidence = report.Evidence
            .OrderByDescending(e => e.Category == verdict.Category)
            .ThenByDescending(e => verdict.EvidenceIds.Contains(e.Id))
            .Take(MaxEvidence)
            .Select(locate)
            .ToList();
        return new IncidentDiagnosis { Category = verdict.Category, RootCause = verdict.RootCause, Confidence = Math.Round(verdict.Confidence, 2), Evidence = evidence };
    }

    private static IncidentDiagnosis Unknown(Observations o) => new()
    {
        Category = FailureCategory.Unknown,
        RootCause = $"no failure signal in {o.ServiceLines.Count + o.SystemLines.Count} log lines, the metrics or the GPU stats",
        Confidence = 0,
        Evidence = [],
    };

    internal static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    internal static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    internal static EvidenceLine Line(SignalLine line) => new(line.Source, line.Line, line.Text);

    internal static double? Num(System.Text.Json.Nodes.JsonNode? node) => ToolArgs.Number(node);
}
